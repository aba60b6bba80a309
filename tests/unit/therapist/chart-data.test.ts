import { describe, expect, it } from 'vitest';
import { liveChartColumns } from '../../../client/therapist/live/live-chart-data';
import {
  hasValues,
  multiSeriesColumns,
  timed,
} from '../../../client/therapist/history/progress-chart-data';
import { makeTrial } from './fixtures';

describe('live chart columns', () => {
  it('computes a rolling success rate over the last 10 trials, sorted by trial number', () => {
    const trials = Array.from({ length: 12 }, (_, i) =>
      makeTrial(i + 1, { outcome: i < 2 ? 'miss_not_reached' : 'hit' }),
    ).reverse();
    const [x, success] = liveChartColumns(trials);
    expect(x).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(success).toEqual([0, 0, 33.3, 50, 60, 66.7, 71.4, 75, 77.8, 80, 90, 100]);
  });

  it('keeps untrusted metrics as gaps', () => {
    const t = makeTrial(1);
    t.metrics = { ...t.metrics, movementTime: null, sparc: -1.8 };
    const [, , movementTime, sparc] = liveChartColumns([t]);
    expect(movementTime).toEqual([null]);
    expect(sparc).toEqual([-1.8]);
  });
});

describe('progress columns', () => {
  it('sorts sessions by start in Unix seconds and drops bad dates', () => {
    const columns = multiSeriesColumns([
      timed([
        { startedAt: '2026-01-02T00:00:00Z', value: 0.8 },
        { startedAt: 'not a date', value: 0.1 },
        { startedAt: '2026-01-01T00:00:00Z', value: Number.NaN },
      ]),
    ]);
    expect(columns).toEqual([
      [1767225600, 1767312000],
      [null, 0.8],
    ]);
    expect(hasValues(columns)).toBe(true);
    expect(
      hasValues(multiSeriesColumns([timed([{ startedAt: '2026-01-01T00:00:00Z', value: null }])])),
    ).toBe(false);
  });
});
