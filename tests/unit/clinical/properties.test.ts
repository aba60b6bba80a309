import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReachInput } from '../../../shared/clinical/index';
import { analyzeReach, computeReachMetrics, sparc } from '../../../shared/clinical/index';
import { minJerk } from './helpers';

type V3 = [number, number, number];

/** A curved min-jerk reach with optional noise, from random parameters. */
const reachArb = fc
  .record({
    start: fc.tuple(
      fc.double({ min: -0.5, max: 0.5, noNaN: true }),
      fc.double({ min: 0.8, max: 1.4, noNaN: true }),
      fc.double({ min: -0.5, max: 0.5, noNaN: true }),
    ),
    angle: fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
    amp: fc.double({ min: 0.1, max: 0.6, noNaN: true }),
    dur: fc.double({ min: 0.5, max: 1.5, noNaN: true }),
    curve: fc.double({ min: -0.08, max: 0.08, noNaN: true }),
    noise: fc.double({ min: 0, max: 0.002, noNaN: true }),
    seed: fc.integer({ min: 1, max: 1e6 }),
    fs: fc.constantFrom(72, 90, 120),
  })
  .map(({ start, angle, amp, dur, curve, noise, seed, fs }): ReachInput => {
    const u: V3 = [Math.cos(angle), 0, Math.sin(angle)];
    const perp: V3 = [-Math.sin(angle), 0, Math.cos(angle)];
    let s = seed;
    const rnd = () => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647 - 0.5;
    };
    const t: number[] = [];
    const hand: V3[] = [];
    const head: V3[] = [];
    const total = dur + 1;
    for (let i = 0; i <= Math.floor(total * fs); i++) {
      const ti = i / fs;
      const q = (ti - 0.4) / dur;
      const a = amp * minJerk(q);
      const b = curve * Math.sin(Math.PI * Math.min(1, Math.max(0, q)));
      t.push(ti);
      hand.push([
        start[0] + a * u[0] + b * perp[0] + noise * rnd(),
        start[1] + 0.1 * a + noise * rnd(),
        start[2] + a * u[2] + b * perp[2] + noise * rnd(),
      ]);
      head.push([start[0] + 0.1 * a * u[0], start[1] + 0.4, start[2] + 0.1 * a * u[2] - 0.2]);
    }
    const target: V3 = [start[0] + amp * u[0], start[1] + 0.1 * amp, start[2] + amp * u[2]];
    return { t, hand, head, tGo: 0, target };
  });

const shift = (p: V3, d: V3): V3 => [p[0] + d[0], p[1] + d[1], p[2] + d[2]];

describe('invariants (fast-check)', () => {
  it('path ratio >= 1 and SPARC <= 0 and no NaN', () => {
    fc.assert(
      fc.property(reachArb, (input) => {
        const m = computeReachMetrics(input);
        if (m.pathRatio !== null) expect(m.pathRatio).toBeGreaterThanOrEqual(1);
        if (m.sparc !== null) expect(m.sparc).toBeLessThanOrEqual(0);
        for (const v of Object.values(m))
          if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
        expect(m.peakSpeed).not.toBeNull();
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('metrics are invariant to a rigid translation of the whole trajectory', () => {
    const d = fc.tuple(
      ...[0, 1, 2].map(() => fc.double({ min: -3, max: 3, noNaN: true })),
    ) as fc.Arbitrary<V3>;
    fc.assert(
      fc.property(reachArb, d, (input, off) => {
        const a = computeReachMetrics(input);
        const b = computeReachMetrics({
          ...input,
          hand: input.hand.map((p) => shift(p, off)),
          head: input.head!.map((p) => shift(p, off)),
          target: shift(input.target, off),
        });
        expect(b.flags).toEqual(a.flags);
        // A symmetric reach has two equal-speed samples at its peak; translation changes the
        // rounding, hence which one is first. Everything else must agree.
        expect(Math.abs(b.iPeak! - a.iPeak!)).toBeLessThanOrEqual(1);
        expect([b.iOnset, b.iOffset, b.speedPeaks]).toEqual([a.iOnset, a.iOffset, a.speedPeaks]);
        for (const k of [
          'reactionTime',
          'movementTime',
          'peakSpeed',
          'pathLength',
          'pathRatio',
          'sparc',
          'ldlj',
          'endpointError',
          'endpointAlong',
          'trunkForward',
          'minDistanceToTarget',
        ] as const) {
          const x = a[k];
          const y = b[k];
          expect(y === null).toBe(x === null);
          if (x !== null && y !== null)
            expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(x)));
        }
      }),
      { numRuns: 80, seed: 7 },
    );
  });

  it('SPARC is invariant to the amplitude of the speed profile', () => {
    const profile = fc
      .array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 4, maxLength: 300 })
      .filter((a) => a.some((v) => v > 1e-3));
    fc.assert(
      fc.property(
        profile,
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.constantFrom(60, 90, 100, 120),
        (v, k, fs) => {
          const s1 = sparc(v, fs);
          const s2 = sparc(
            v.map((x) => x * k),
            fs,
          );
          expect(s1).toBeLessThanOrEqual(0);
          expect(Math.abs(s1 - s2)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });

  it("SPARC of a reach is invariant to the reach's amplitude", () => {
    fc.assert(
      fc.property(reachArb, fc.double({ min: 0.2, max: 5, noNaN: true }), (input, k) => {
        const o = input.hand[0]!;
        const scale = (p: V3): V3 => [
          o[0] + k * (p[0] - o[0]),
          o[1] + k * (p[1] - o[1]),
          o[2] + k * (p[2] - o[2]),
        ];
        const a = computeReachMetrics(input);
        const b = computeReachMetrics({
          ...input,
          hand: input.hand.map(scale),
          target: scale(input.target),
        });
        if (
          a.sparc === null ||
          b.sparc === null ||
          a.iOnset !== b.iOnset ||
          a.iOffset !== b.iOffset
        )
          return;
        expect(Math.abs(a.sparc - b.sparc)).toBeLessThan(1e-9);
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});

/** A glitch: 1-3 consecutive hand samples thrown 0.3-2 m off, somewhere in the window. */
const glitchArb = fc.record({
  where: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  run: fc.integer({ min: 1, max: 3 }),
  size: fc.double({ min: 0.3, max: 2, noNaN: true }),
  dir: fc.constantFrom<V3>([1, 0, 0], [0, 1, 0], [0, 0, 1], [-0.6, 0, 0.8], [0, -0.6, -0.8]),
});

/** Largest change a removed glitch may cause (the spline bridges 1-3 frames of a smooth reach). */
const GLITCH_TOLERANCE = {
  sparc: 0.001,
  peakSpeed: 0.001, // relative
  pathLength: 0.001, // relative
  movementTime: 0.005, // s
  endpointError: 0.0005, // m
} as const;

describe('screening invariants (fast-check)', () => {
  it('a clean reach, noisy or not, never raises a screening flag', () => {
    fc.assert(
      fc.property(reachArb, (input) => {
        const m = computeReachMetrics(input);
        for (const f of ['tracking_glitch', 'head_glitch', 'time_discontinuity', 'time_in_ms'])
          expect(m.flags).not.toContain(f);
      }),
      { numRuns: 100, seed: 21 },
    );
  });

  it('a glitch injected into a clean reach raises tracking_glitch and barely moves the metrics', () => {
    fc.assert(
      fc.property(reachArb, glitchArb, (input, g) => {
        const clean = computeReachMetrics(input);
        const at = Math.floor(g.where * (input.hand.length - g.run));
        const hand = input.hand.map((p, i) =>
          i >= at && i < at + g.run
            ? shift(p as V3, [g.dir[0] * g.size, g.dir[1] * g.size, g.dir[2] * g.size])
            : p,
        );
        const m = computeReachMetrics({ ...input, hand });
        expect(m.flags).toContain('tracking_glitch');
        expect(m.flags.filter((f) => f !== 'tracking_glitch')).toEqual(clean.flags);
        const within = (k: keyof typeof GLITCH_TOLERANCE, relative: boolean) => {
          const a = clean[k];
          const b = m[k];
          expect(b === null, k).toBe(a === null);
          if (a === null || b === null) return;
          const d = Math.abs(a - b) / (relative ? Math.abs(a) : 1);
          expect(d, `${k}: ${a} vs ${b}`).toBeLessThanOrEqual(GLITCH_TOLERANCE[k]);
        };
        within('sparc', false);
        within('peakSpeed', true);
        within('pathLength', true);
        within('movementTime', false);
        within('endpointError', false);
      }),
      { numRuns: 150, seed: 5 },
    );
  });

  it('a stray timestamp 1-10 s ahead is removed with non_monotonic_time, nothing else lost', () => {
    fc.assert(
      fc.property(
        reachArb,
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        (input, where, ahead) => {
          const clean = computeReachMetrics(input);
          const at = 1 + Math.floor(where * (input.t.length - 2));
          const m = computeReachMetrics({
            ...input,
            t: input.t.map((t, i) => (i === at ? t + ahead : t)),
          });
          expect(m.flags.filter((f) => f !== 'non_monotonic_time')).toEqual(clean.flags);
          expect(m.flags).toContain('non_monotonic_time');
          expect(m.flags).not.toContain('time_discontinuity');
          if (clean.sparc !== null && m.sparc !== null)
            expect(Math.abs(clean.sparc - m.sparc)).toBeLessThanOrEqual(GLITCH_TOLERANCE.sparc);
          expect(m.movementTime === null).toBe(clean.movementTime === null);
        },
      ),
      { numRuns: 100, seed: 8 },
    );
  });

  it('the same reach in milliseconds gives the same metrics, flagged time_in_ms', () => {
    fc.assert(
      fc.property(reachArb, (input) => {
        const a = computeReachMetrics(input);
        const b = computeReachMetrics({
          ...input,
          t: input.t.map((t) => t * 1000),
          tGo: input.tGo * 1000,
        });
        expect(b.flags).toEqual(['time_in_ms', ...a.flags]);
        for (const k of [
          'movementTime',
          'peakSpeed',
          'sparc',
          'endpointError',
          'trunkForward',
        ] as const) {
          const x = a[k];
          const y = b[k];
          expect(y === null).toBe(x === null);
          if (x !== null && y !== null)
            expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
        }
      }),
      { numRuns: 60, seed: 13 },
    );
  });
});

describe('analyzeReach never throws (fast-check)', () => {
  const value = fc.oneof(
    fc.double({ min: -10, max: 10, noNaN: true }),
    fc.constantFrom(NaN, Infinity, -Infinity, 0, 1e12),
  );
  const v3 = fc.tuple(value, value, value);
  const option = fc.oneof(fc.constant(undefined), value);
  it('on garbage samples and options: a refusal or finite-or-null metrics', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, v3, v3), { maxLength: 60 }),
        fc.record({
          onsetFraction: option,
          sparcPadLevel: option,
          filterHz: option,
          stillTime: option,
        }),
        fc.option(value, { nil: undefined }),
        (rows, config, fs) => {
          const input: ReachInput = {
            // Mostly a 90 Hz clock, every seventh time replaced by garbage.
            t: rows.map((r, i) => (i % 7 === 3 ? r[0] : i / 90)),
            hand: rows.map((r) => r[1]),
            head: rows.map((r) => r[2]),
            tGo: 0,
            target: [0, 1, 0],
          };
          if (fs !== undefined) input.fs = fs;
          const clean = Object.fromEntries(
            Object.entries(config).filter(([, v]) => v !== undefined),
          );
          const r = analyzeReach(input, clean);
          if (!r.ok) {
            expect(r.message.length).toBeGreaterThan(10);
            return;
          }
          for (const v of Object.values(r.metrics))
            if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
        },
      ),
      { numRuns: 300, seed: 17 },
    );
  });
});
