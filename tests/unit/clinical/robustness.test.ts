import { describe, expect, it } from 'vitest';
import type { ReachInput, ReachMetrics } from '../../../shared/clinical/index';
import { computeReachMetrics } from '../../../shared/clinical/index';
import { handAt, headAt, mulberry32, reach, TARGET } from './helpers';

type V3 = [number, number, number];
const NUMERIC = [
  'reactionTime',
  'movementTime',
  'peakSpeed',
  'timeToPeakPct',
  'pathLength',
  'straightDistance',
  'pathRatio',
  'maxPerpDeviation',
  'speedPeaks',
  'sparc',
  'ldlj',
  'normalizedJerk',
  'meanJerk',
  'endpointError',
  'endpointAlong',
  'endpointPerp',
  'minDistanceToTarget',
  'trunkForward',
  'trunkMax',
  'trunkRatioPct',
  'iOnset',
  'iPeak',
  'iOffset',
] as const;

function expectSane(m: ReachMetrics) {
  for (const k of NUMERIC) {
    const v = m[k];
    expect(v === null || Number.isFinite(v), `${k} = ${v}`).toBe(true);
  }
  expect(Array.isArray(m.flags)).toBe(true);
  expect(m.specVersion).toBe('1');
}

function expectSameMetrics(a: ReachMetrics, b: ReachMetrics, rel = 1e-3) {
  for (const k of NUMERIC) {
    const x = a[k];
    const y = b[k];
    expect(x === null, `${k} null`).toBe(y === null);
    if (x === null || y === null) continue;
    // Values near zero (a straight reach's deviation) are compared in absolute terms.
    expect(Math.abs(x - y), `${k}: ${x} vs ${y}`).toBeLessThanOrEqual(
      Math.max(rel * Math.abs(x), 1e-6),
    );
  }
}

/** The 90 Hz reach sampled at jittered times with frames dropped. */
function irregular(seed: number, dropRate: number, jitter: number): ReachInput {
  const rnd = mulberry32(seed);
  const t: number[] = [];
  const hand: V3[] = [];
  const head: V3[] = [];
  for (let i = 0; i <= 180; i++) {
    const edge = i < 3 || i > 177;
    if (!edge && rnd() < dropRate) continue;
    const ti = i / 90 + (i > 0 && i < 180 ? (rnd() - 0.5) * jitter : 0);
    t.push(ti);
    hand.push(handAt(ti));
    head.push(headAt(ti));
  }
  return { t, hand, head, tGo: 0, target: [...TARGET], fs: 90 };
}

describe('irregular sampling', () => {
  const regular = computeReachMetrics(reach(90, 2));

  it('the regular 90 Hz recording is clean', () => {
    expect(regular.flags).toEqual([]);
    expectSane(regular);
  });

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`jitter +-1.5 ms and 10 % dropped frames give the same metrics to 1e-3 (seed ${seed})`, () => {
      const m = computeReachMetrics(irregular(seed, 0.1, 0.003));
      expect(m.flags).toEqual([]);
      expectSameMetrics(regular, m);
    });
  }

  it('estimates the rate from the median interval when fs is not given', () => {
    const input = irregular(7, 0, 0.002);
    delete input.fs;
    expectSameMetrics(regular, computeReachMetrics(input));
  });

  it('a gap over 0.1 s inside the movement flags tracking_loss and suppresses smoothness', () => {
    const input = reach(90, 2);
    const keep = input.t.map((t) => !(t > 0.9 && t < 1.05));
    const cut: ReachInput = {
      ...input,
      t: input.t.filter((_, i) => keep[i]),
      hand: input.hand.filter((_, i) => keep[i]),
      head: input.head!.filter((_, i) => keep[i]),
    };
    const m = computeReachMetrics(cut);
    expect(m.flags).toContain('tracking_loss');
    expect(m.sparc).toBeNull();
    expect(m.ldlj).toBeNull();
    expect(m.normalizedJerk).toBeNull();
    expect(m.meanJerk).toBeNull();
    expect(m.movementTime).not.toBeNull();
    expectSane(m);
  });

  it('a gap outside the movement is harmless', () => {
    const input = reach(90, 2.5);
    const keep = input.t.map((t) => !(t > 2.0 && t < 2.3));
    const m = computeReachMetrics({
      ...input,
      t: input.t.filter((_, i) => keep[i]),
      hand: input.hand.filter((_, i) => keep[i]),
      head: input.head!.filter((_, i) => keep[i]),
    });
    expect(m.flags).not.toContain('tracking_loss');
    expect(m.sparc).not.toBeNull();
  });
});

describe('bad samples', () => {
  it('drops duplicated and decreasing timestamps with a flag', () => {
    const input = reach(90, 2);
    const t = [...input.t];
    const hand = [...input.hand];
    const head = [...input.head!];
    // A re-sent packet and a clock step backwards.
    t.splice(40, 0, t[39]!);
    hand.splice(40, 0, hand[39]!);
    head.splice(40, 0, head[39]!);
    t.splice(100, 0, t[95]!);
    hand.splice(100, 0, [9, 9, 9]);
    head.splice(100, 0, head[95]!);
    const m = computeReachMetrics({ ...input, t, hand, head });
    expect(m.flags).toContain('non_monotonic_time');
    expectSameMetrics(computeReachMetrics(input), m, 1e-9);
  });

  it('drops NaN and infinite samples with a flag', () => {
    const input = reach(90, 2);
    const hand = input.hand.map((p, i) => (i === 60 ? ([NaN, p[1], p[2]] as V3) : p));
    const t = input.t.map((x, i) => (i === 120 ? Infinity : x));
    const m = computeReachMetrics({ ...input, hand, t });
    expect(m.flags).toContain('dropped_samples');
    expectSane(m);
    expectSameMetrics(computeReachMetrics(input), m, 1e-3);
  });

  it('all-NaN input gives nulls and too_short, no exception', () => {
    const m = computeReachMetrics({
      t: [0, 0.01, 0.02],
      hand: [
        [NaN, NaN, NaN],
        [NaN, 0, 0],
        [0, NaN, 0],
      ],
      tGo: 0,
      target: [0, 0, 0],
    });
    expect(m.flags).toEqual(['dropped_samples', 'too_short']);
    expectSane(m);
    expect(m.peakSpeed).toBeNull();
  });

  it('mismatched lengths and unusable head do not throw', () => {
    const input = reach(90, 2);
    const m = computeReachMetrics({
      ...input,
      hand: input.hand.slice(0, 150),
      head: input.head!.slice(0, 10),
    });
    expect(m.flags).toContain('head_unusable');
    expect(m.trunkForward).toBeNull();
    expectSane(m);
  });

  it('a non-finite target or tGo gives nulls rather than NaN', () => {
    const input = reach(90, 2);
    expectSane(computeReachMetrics({ ...input, target: [NaN, 0, 0] }));
    const m = computeReachMetrics({ ...input, tGo: NaN });
    expectSane(m);
    expect(m.reactionTime).toBeNull();
  });
});

describe('reaches that cannot be fully analysed', () => {
  it('too few samples: too_short, all null', () => {
    const input = reach(90, 2);
    for (const n of [0, 1, 2, 5, 9]) {
      const m = computeReachMetrics({
        ...input,
        t: input.t.slice(85, 85 + n),
        hand: input.hand.slice(85, 85 + n),
        head: undefined,
      });
      expect(m.flags).toContain('too_short');
      expect(m.peakSpeed).toBeNull();
      expectSane(m);
    }
  });

  it('a short window can still be measured without the filter', () => {
    const input = reach(90, 2);
    const m = computeReachMetrics(
      { ...input, t: input.t.slice(85, 92), hand: input.hand.slice(85, 92), head: undefined },
      { filterHz: 0 },
    );
    expectSane(m);
    expect(m.flags).toContain('anticipation');
  });

  it('a hand already moving at target onset flags anticipation with no reaction time', () => {
    const input = reach(90, 2);
    const from = 75; // 0.83 s, mid-movement
    const m = computeReachMetrics({
      t: input.t.slice(from),
      hand: input.hand.slice(from),
      head: input.head!.slice(from),
      tGo: input.t[from]!,
      target: input.target,
    });
    expect(m.flags).toContain('anticipation');
    expect(m.reactionTime).toBeNull();
    expect(m.movementTime).toBeNull();
    expect(m.sparc).toBeNull();
    expect(m.peakSpeed).not.toBeNull();
    expect(m.endpointError).not.toBeNull();
    expectSane(m);
  });

  it('a reaction under 0.1 s is anticipation: the reaction time is withheld, the reach kept', () => {
    const m = computeReachMetrics(reach(90, 2), {});
    expect(m.reactionTime).not.toBeNull();
    const early = computeReachMetrics({ ...reach(90, 2), tGo: 0.5 });
    expect(early.flags).toEqual(['anticipation']);
    expect(early.reactionTime).toBeNull();
    expect(early.sparc).toBeCloseTo(m.sparc!, 12);
  });

  it('a window ending mid-movement is truncated', () => {
    const input = reach(90, 2);
    const m = computeReachMetrics({
      ...input,
      t: input.t.slice(0, 95),
      hand: input.hand.slice(0, 95),
      head: input.head!.slice(0, 95),
    });
    expect(m.flags).toContain('truncated');
    expect(m.movementTime).toBeNull();
    expect(m.endpointError).toBeNull();
    expect(m.sparc).toBeNull();
    expect(m.reactionTime).not.toBeNull();
    expectSane(m);
  });

  it('a still hand is no_movement', () => {
    const t = Array.from({ length: 100 }, (_, i) => i / 90);
    const hand = t.map(() => [0.1, 1.2, 0.2] as V3);
    const m = computeReachMetrics({ t, hand, tGo: 0, target: TARGET });
    expect(m.flags).toEqual(['no_movement']);
    expect(m.minDistanceToTarget).toBeCloseTo(0.3, 12);
    expect(m.peakSpeed).toBeNull();
    expectSane(m);
  });

  it('keeps a brief pause between submovements inside the movement and counts two peaks', () => {
    // Two 15 cm min-jerk submovements meeting at zero speed (a dip shorter than 0.1 s).
    const fs = 100;
    const t: number[] = [];
    const hand: V3[] = [];
    for (let i = 0; i <= 300; i++) {
      const ti = i / fs;
      const a = handAt(ti, 0.15, 0.6, 0.3);
      const b = handAt(ti, 0.15, 0.6, 0.9);
      hand.push([a[0] + b[0] - 0.1, a[1] + b[1] - 1.2, a[2] + b[2] - 0.2]);
      t.push(ti);
    }
    const m = computeReachMetrics({ t, hand, tGo: 0, target: TARGET }, { filterHz: 0 });
    expect(m.speedPeaks).toBe(2);
    expect(m.movementTime!).toBeGreaterThan(1.1);
    // With a long pause (> stillTime) the first submovement alone is the reach.
    const split = computeReachMetrics(
      { t, hand, tGo: 0, target: TARGET },
      { filterHz: 0, stillTime: 0.01 },
    );
    expect(split.movementTime!).toBeLessThan(0.6);
    expect(split.speedPeaks).toBe(1);
  });

  it('tremor-like ripple does not add movement units but a corrective submovement does', () => {
    const fs = 90;
    const t: number[] = [];
    const hand: V3[] = [];
    for (let i = 0; i <= 200; i++) {
      const ti = i / fs;
      const p = handAt(ti, 0.25, 1, 0.3);
      const c = handAt(ti, 0.05, 0.4, 1.15);
      hand.push([p[0] + c[0] - 0.1, p[1], p[2] + c[2] - 0.2]);
      t.push(ti);
    }
    const m = computeReachMetrics({ t, hand, tGo: 0, target: TARGET });
    expect(m.speedPeaks).toBe(2);
    expect(m.sparc!).toBeLessThan(-1.45);
  });
});
