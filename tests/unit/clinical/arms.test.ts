import { describe, expect, it } from 'vitest';
import {
  armAsymmetry,
  asymmetryIndex,
  METRIC_BETTER,
  METRIC_KEYS,
  summarizeByArm,
  type SummaryTrial,
} from '../../../shared/clinical/index';

const trial = (
  arm: 'left' | 'right',
  outcome: SummaryTrial['outcome'],
  levelBefore: number,
  levelAfter: number,
  movementTime: number | null,
  sparc: number | null,
): SummaryTrial & { arm: 'left' | 'right' } => ({
  arm,
  outcome,
  levelBefore,
  levelAfter,
  metrics: { movementTime, sparc, peakSpeed: arm === 'right' ? 0.5 : 1 },
});

describe('asymmetry index', () => {
  it('is 100 * d * (A - L) / (|A| + |L|): positive when the affected arm does worse', () => {
    // lower is better (movement time): affected 2 s, other 1 s
    expect(asymmetryIndex(2, 1, 'lower')).toEqual({ value: 100 / 3 });
    expect(asymmetryIndex(1, 2, 'lower')).toEqual({ value: -100 / 3 });
    // higher is better (peak speed): affected 0.5 m/s, other 1 m/s
    expect(asymmetryIndex(0.5, 1, 'higher')).toEqual({ value: 100 / 3 });
    // negative measure, higher is better (SPARC): affected -2 less smooth than -1.5
    expect(asymmetryIndex(-2, -1.5, 'higher')).toEqual({ value: 100 / 7 });
    expect(asymmetryIndex(-1.5, -2, 'higher')).toEqual({ value: -100 / 7 });
    // opposite signs stay within [-100, 100]
    expect(asymmetryIndex(0.1, -0.1, 'lower')).toEqual({ value: 100 });
  });

  it('is 0, never -0, for equal arms', () => {
    const equal = asymmetryIndex(1.2, 1.2, 'higher');
    expect(Object.is(equal.value, 0)).toBe(true);
  });

  it('gives no number for missing, non-finite or zero values, or a measure without direction', () => {
    expect(asymmetryIndex(0, 0, 'lower')).toEqual({ value: null, reason: 'zero' });
    expect(asymmetryIndex(null, 1, 'lower')).toEqual({ value: null, reason: 'missing' });
    expect(asymmetryIndex(1, undefined, 'lower')).toEqual({ value: null, reason: 'missing' });
    expect(asymmetryIndex(NaN, 1, 'lower')).toEqual({ value: null, reason: 'missing' });
    expect(asymmetryIndex(1, Infinity, 'higher')).toEqual({ value: null, reason: 'missing' });
    expect(asymmetryIndex(0.5, 0.4, null)).toEqual({ value: null, reason: 'no_direction' });
  });

  it('names a direction (or none) for every measure', () => {
    expect(Object.keys(METRIC_BETTER).sort()).toEqual([...METRIC_KEYS].sort());
    expect(METRIC_BETTER.movementTime).toBe('lower');
    expect(METRIC_BETTER.sparc).toBe('higher');
    expect(METRIC_BETTER.endpointAlong).toBeNull();
  });
});

describe('per-arm summaries', () => {
  const trials = [
    trial('right', 'hit', 70, 72, 2, -2),
    trial('left', 'hit', 20, 21, 1, -1.5),
    trial('right', 'miss_not_reached', 72, 68, 4, -3),
    trial('left', 'hit', 21, 22, null, null),
  ];

  it('summarises each arm over its own trials only', () => {
    const { left, right } = summarizeByArm(trials);
    expect(right).toMatchObject({ trials: 2, hits: 1, successRate: 0.5 });
    expect([right!.levelStart, right!.levelEnd]).toEqual([70, 68]);
    expect(right!.metrics.movementTime).toMatchObject({ n: 2, mean: 3, median: 3 });
    expect(left).toMatchObject({ trials: 2, hits: 2, successRate: 1 });
    expect([left!.levelStart, left!.levelEnd]).toEqual([20, 22]);
    expect(left!.metrics.movementTime).toMatchObject({ n: 1, mean: 1 });
    expect(summarizeByArm(trials.filter((t) => t.arm === 'left')).right).toBeNull();
  });

  it('compares the affected arm with the other on each measure mean', () => {
    const byArm = summarizeByArm(trials);
    const asymmetry = armAsymmetry(byArm, 'right')!;
    // right mean MT 3 s vs left 1 s: 100 * 2 / 4
    expect(asymmetry.movementTime).toEqual({ value: 50 });
    // right mean SPARC -2.5 vs left -1.5: 100 * 1 / 4
    expect(asymmetry.sparc).toEqual({ value: 25 });
    // right 0.5 m/s vs left 1 m/s, higher is better
    expect(asymmetry.peakSpeed).toEqual({ value: 100 / 3 });
    expect(asymmetry.pathRatio).toEqual({ value: null, reason: 'missing' });
    expect(asymmetry.timeToPeakPct).toEqual({ value: null, reason: 'no_direction' });
    // seen from the other side, the sign turns
    expect(armAsymmetry(byArm, 'left')!.movementTime).toEqual({ value: -50 });
    // one arm only: no comparison at all
    expect(armAsymmetry(summarizeByArm(trials.slice(0, 1)), 'right')).toBeNull();
  });
});
