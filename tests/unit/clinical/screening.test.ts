import { describe, expect, it } from 'vitest';
import type { ReachInput, ReachMetrics } from '../../../shared/clinical/index';
import {
  analyzeReach,
  computeReachMetrics,
  ReachInputError,
  sparc,
} from '../../../shared/clinical/index';
import { mj100, reach } from './helpers';

type V3 = [number, number, number];

/** Spec B test vectors for screening: the MJ100 reach with one defect each (docs/clinical-core.md). */
const MJ100_FILTERED = {
  reactionTime: 0.557472209,
  movementTime: 0.885055583,
  peakSpeed: 0.56224809,
  pathLength: 0.298769297,
  sparc: -1.40601562,
  ldlj: -4.4368884,
  endpointError: 6.1535155e-4,
  trunkForward: 0.0497948828,
  trunkRatioPct: 16.6666667,
};

function expectVector(
  m: ReachMetrics,
  expected: Partial<Record<keyof ReachMetrics, number | null>>,
) {
  for (const [k, v] of Object.entries(expected)) {
    const x = m[k as keyof ReachMetrics] as number | null;
    if (v === null) expect(x, k).toBeNull();
    else {
      expect(x, k).not.toBeNull();
      expect(Math.abs(x! - v!), `${k}: ${x} vs ${v}`).toBeLessThanOrEqual(1e-6 * Math.abs(v!));
    }
  }
}

const withHand = (input: ReachInput, f: (p: V3, i: number) => V3): ReachInput => ({
  ...input,
  hand: input.hand.map((p, i) => f(p as V3, i)),
});
const withHead = (input: ReachInput, f: (p: V3, i: number) => V3): ReachInput => ({
  ...input,
  head: input.head!.map((p, i) => f(p as V3, i)),
});
const withTime = (input: ReachInput, f: (t: number, i: number) => number): ReachInput => ({
  ...input,
  t: input.t.map(f),
});

describe('impossible jumps are removed and flagged tracking_glitch', () => {
  it('G1: a 1 m jump of one hand sample mid-reach changes nothing but the flag', () => {
    // Before: SPARC -1.64, path ratio 1.64, peak speed 2.59 m/s and no flag.
    const m = computeReachMetrics(
      withHand(mj100(), (p, i) => (i === 100 ? [p[0] + 1, p[1], p[2]] : p)),
    );
    expect(m.flags).toEqual(['tracking_glitch']);
    expect([m.iOnset, m.iPeak, m.iOffset]).toEqual([56, 100, 144]);
    expect(m.pathRatio).toBeCloseTo(1, 9);
    expectVector(m, MJ100_FILTERED);
  });

  it('G1 unfiltered gives the unfiltered MJ100 vector', () => {
    const m = computeReachMetrics(
      withHand(mj100(), (p, i) => (i === 100 ? [p[0] + 1, p[1], p[2]] : p)),
      { filterHz: 0 },
    );
    expect(m.flags).toEqual(['tracking_glitch']);
    expectVector(m, {
      reactionTime: 0.559145671,
      movementTime: 0.881708658,
      peakSpeed: 0.562350018,
      sparc: -1.40605777,
      ldlj: -4.39688361,
    });
  });

  it('G0: a glitch on the very first sample is removed too (the window starts one sample later)', () => {
    const m = computeReachMetrics(
      withHand(mj100(), (p, i) => (i === 0 ? [p[0], p[1] + 1, p[2]] : p)),
    );
    expect(m.flags).toEqual(['tracking_glitch']);
    expect([m.iOnset, m.iPeak, m.iOffset]).toEqual([55, 99, 143]);
    expectVector(m, MJ100_FILTERED);
  });

  it('G3: a run of three samples 0.5 m off is removed', () => {
    const m = computeReachMetrics(
      withHand(mj100(), (p, i) => (i >= 100 && i < 103 ? [p[0], p[1] + 0.5, p[2]] : p)),
    );
    expect(m.flags).toEqual(['tracking_glitch']);
    expectVector(m, { sparc: -1.40601562, pathLength: 0.298769297, peakSpeed: 0.562248035 });
  });

  it('REL: a relocation that never comes back is not bridged as a fast movement', () => {
    // 0.3 m offset from 1.70 s to the end: the shorter side (31 samples) is removed.
    const m = computeReachMetrics(
      withHand(mj100(), (p, i) => (i >= 170 ? [p[0] + 0.3, p[1], p[2]] : p)),
    );
    expect(m.flags).toEqual(['tracking_glitch']);
    expectVector(m, { ...MJ100_FILTERED, endpointError: 6.15351567e-4 });
  });

  it('a fast but possible reach (2.5 m/s peak at 90 Hz) is not touched', () => {
    const input = reach(90, 2, { amp: 0.3 });
    const fast = withHand(input, (p) => [0.1 + (p[0] - 0.1) * 4.4, p[1], 0.2 + (p[2] - 0.2) * 4.4]);
    const m = computeReachMetrics(fast);
    expect(m.peakSpeed!).toBeGreaterThan(2.4);
    expect(m.flags).not.toContain('tracking_glitch');
  });
});

describe('timestamps', () => {
  it('T1: one timestamp 5 s ahead is removed, not every sample after it', () => {
    // Before: movement time 2.42 s and endpoint error 0.38 m from the 5 s hole.
    const m = computeReachMetrics(withTime(mj100(), (t, i) => (i === 100 ? t + 5 : t)));
    expect(m.flags).toEqual(['non_monotonic_time']);
    expectVector(m, MJ100_FILTERED);
  });

  it('T2: the clock jumping 5 s ahead mid-reach splits the trial: the reach is truncated, flagged', () => {
    const m = computeReachMetrics(withTime(mj100(), (t, i) => (i >= 100 ? t + 5 : t)));
    expect(m.flags).toEqual(['time_discontinuity', 'truncated']);
    expect(m.movementTime).toBeNull();
    expect(m.endpointError).toBeNull();
    expect(m.sparc).toBeNull();
    expect([m.iOnset, m.iPeak, m.iOffset]).toEqual([56, 97, 99]);
    expectVector(m, { reactionTime: 0.558594095 });
  });

  it('T3/T4: a clock break after the reach keeps the reach, with the flag', () => {
    for (const step of [5, -5]) {
      const m = computeReachMetrics(withTime(mj100(), (t, i) => (i >= 160 ? t + step : t)));
      expect(m.flags).toEqual(['time_discontinuity']);
      expectVector(m, {
        reactionTime: 0.557472209,
        movementTime: 0.885055449,
        pathLength: 0.298769292,
        sparc: -1.40601562,
        endpointError: 6.15356175e-4,
      });
    }
  });

  it('MS: timestamps in milliseconds are recognised, converted and flagged', () => {
    // Before: reported as too_short / no_movement with every value null.
    const input = withTime(mj100(), (t) => t * 1000);
    const m = computeReachMetrics({ ...input, tGo: 0 });
    expect(m.flags).toEqual(['time_in_ms']);
    expectVector(m, MJ100_FILTERED);
    const late = computeReachMetrics({ ...input, tGo: 200 });
    expect(late.reactionTime!).toBeCloseTo(MJ100_FILTERED.reactionTime - 0.2, 9);
  });

  it('timestamps in neither seconds nor milliseconds are refused with a clear error', () => {
    const input = withTime(mj100(), (t) => t * 1e6);
    const r = analyzeReach(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe('t');
      expect(r.message).toMatch(/seconds \(or milliseconds\)/);
    }
    expect(() => computeReachMetrics(input)).toThrow(ReachInputError);
  });
});

describe('head and hand are cleaned independently', () => {
  it('H1: a missing head sample keeps the hand sample (hand values bit-identical)', () => {
    const clean = computeReachMetrics(mj100());
    const m = computeReachMetrics(withHead(mj100(), (p, i) => (i === 100 ? [NaN, p[1], p[2]] : p)));
    expect(m.flags).toEqual(['dropped_samples']);
    for (const k of ['movementTime', 'peakSpeed', 'sparc', 'ldlj', 'endpointError'] as const)
      expect(m[k]).toBe(clean[k]);
    expectVector(m, { trunkForward: 0.0497948828 });
  });

  it('H2: 0.2 s of head lost mid-reach nulls the trunk measures alone', () => {
    const clean = computeReachMetrics(mj100());
    const m = computeReachMetrics(
      withHead(mj100(), (p, i) => (i >= 80 && i <= 100 ? [NaN, NaN, NaN] : p)),
    );
    expect(m.flags).toEqual(['dropped_samples', 'head_unusable']);
    expect([m.trunkForward, m.trunkMax, m.trunkRatioPct]).toEqual([null, null, null]);
    for (const k of [
      'reactionTime',
      'movementTime',
      'peakSpeed',
      'sparc',
      'endpointError',
    ] as const)
      expect(m[k]).toBe(clean[k]);
  });

  it('H3: a 1 m head glitch is removed from the head only and flagged head_glitch', () => {
    const clean = computeReachMetrics(mj100());
    const m = computeReachMetrics(
      withHead(mj100(), (p, i) => (i === 100 ? [p[0], p[1] - 1, p[2]] : p)),
    );
    expect(m.flags).toEqual(['head_glitch']);
    expect(m.sparc).toBe(clean.sparc);
    expectVector(m, { trunkForward: 0.0497948828, trunkRatioPct: 16.6666667 });
  });

  it('a head that stops before the reach ends gives no trunk measures', () => {
    const input = mj100();
    const m = computeReachMetrics({
      ...input,
      head: input.head!.map((p, i) => (i > 120 ? ([NaN, NaN, NaN] as V3) : p)),
    });
    expect(m.flags).toContain('head_unusable');
    expect(m.trunkForward).toBeNull();
    expect(m.sparc).not.toBeNull();
  });
});

describe('options out of range are refused with a message, never thrown from inside', () => {
  const cases: [string, Record<string, number>, RegExp][] = [
    [
      'onsetFraction',
      { onsetFraction: 0 },
      /onsetFraction must be a number above 0 and below 1, got 0/,
    ],
    ['onsetFraction', { onsetFraction: -0.1 }, /onsetFraction/],
    ['onsetFraction', { onsetFraction: 1 }, /below 1/],
    [
      'sparcPadLevel',
      { sparcPadLevel: 40 },
      /sparcPadLevel must be an integer at least 0 and at most 6/,
    ],
    ['sparcPadLevel', { sparcPadLevel: 2.5 }, /integer/],
    ['sparcPadLevel', { sparcPadLevel: -1 }, /sparcPadLevel/],
    ['filterHz', { filterHz: NaN }, /filterHz .* got NaN/],
    ['stillTime', { stillTime: -1 }, /stillTime/],
    ['sparcFc', { sparcFc: 0 }, /sparcFc/],
    ['sparcAmpThreshold', { sparcAmpThreshold: 1.5 }, /sparcAmpThreshold/],
  ];
  for (const [field, config, message] of cases) {
    it(`${JSON.stringify(config)} is refused naming ${field}`, () => {
      const r = analyzeReach(mj100(), config);
      expect(r).toMatchObject({ ok: false, field });
      if (!r.ok) expect(r.message).toMatch(message);
      let thrown: unknown = null;
      try {
        computeReachMetrics(mj100(), config);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(ReachInputError);
      expect((thrown as ReachInputError).field).toBe(field);
    });
  }

  it('a sampling rate outside 10-1000 Hz is refused', () => {
    for (const fs of [0, -90, NaN, 5000])
      expect(analyzeReach({ ...mj100(), fs })).toMatchObject({ ok: false, field: 'fs' });
  });

  it('options in range are used', () => {
    const r = analyzeReach(mj100(), { filterHz: 0, sparcPadLevel: 4 });
    expect(r.ok).toBe(true);
    if (r.ok) expectVector(r.metrics, { sparc: -1.40605777 });
  });
});

describe('sparc edge cases', () => {
  it('one sample has no spectrum: NaN, not -1', () => {
    expect(sparc([1], 100)).toBeNaN();
    expect(sparc([0.3], 90)).toBeNaN();
  });

  it('options out of range throw ReachInputError before allocating', () => {
    expect(() => sparc([1, 2, 1], 100, { padLevel: 40 })).toThrow(ReachInputError);
    expect(() => sparc([1, 2, 1], 100, { padLevel: 1.5 })).toThrow(
      /padLevel must be an integer 0-6/,
    );
    expect(() => sparc([1, 2, 1], 100, { fc: -1 })).toThrow(ReachInputError);
    expect(() => sparc([1, 2, 1], 100, { ampThreshold: 0 })).toThrow(ReachInputError);
  });
});
