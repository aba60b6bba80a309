import { describe, expect, it } from 'vitest';
import {
  assessmentValues,
  recoveryTrend,
  theilSen,
  type PersonalTrial,
} from '../../../shared/clinical/index';
import { mulberry32 } from './helpers';
import { normal } from './personal-sim';

const DAY = 86_400_000;
const START = Date.parse('2026-01-05T10:00:00.000Z');
const on = (day: number) => new Date(START + day * DAY).toISOString();

describe('Theil-Sen slope with Sen’s interval (exact vectors, checked against an independent implementation)', () => {
  it('five points: median slope 0.875, interval clamped to the extreme slopes', () => {
    const fit = theilSen([0, 1, 2, 3, 4], [1, 3, 2, 5, 4])!;
    expect(fit.slope).toBeCloseTo(0.875, 12);
    expect(fit.pairs).toBe(10);
    // C = 1.96 sqrt(300/18) = 8.0016: ranks 0.9992 -> 1 and 10.0008 -> 10.
    expect(fit.low).toBe(-1);
    expect(fit.high).toBe(3);
    expect(theilSen([1, 1], [2, 3])).toBeNull();
  });

  it('eight sessions: interpolated ranks (N - C)/2 and (N + C)/2 + 1', () => {
    const xs = [0, 3, 7, 10, 14, 17, 21, 28];
    const ys = [1.3, 1.25, 1.31, 1.18, 1.12, 1.15, 1.05, 0.98];
    const fit = theilSen(xs, ys)!;
    expect(fit.slope).toBeCloseTo(-0.011623376623376619, 14);
    expect(fit.low).toBeCloseTo(-0.015977457182438072, 14);
    expect(fit.high).toBeCloseTo(-0.008916352778196242, 14);
    expect(fit.medianX).toBe(12);
    expect(fit.medianY).toBeCloseTo(1.165, 14);

    const report = recoveryTrend(
      'assessmentMovementTime',
      xs.map((x, i) => ({ date: on(x), value: ys[i]! })),
    );
    if (report.state !== 'trend') throw new Error(report.text);
    expect(report.slope).toBeCloseTo(-0.011623376623376619 * 7, 12);
    expect(report.projection.date).toBe(on(56));
    expect(report.projection.value).toBeCloseTo(1.165 - 0.011623376623376619 * 44, 12);
    expect(report.projection.low).toBeCloseTo(1.165 - 0.015977457182438072 * 44, 12);
    expect(report.projection.high).toBeCloseTo(1.165 - 0.008916352778196242 * 44, 12);
    expect(report.text).toBe(
      "Standard reach test movement time: -0.081 s per week (95 % CI -0.112 s to -0.062 s; Theil-Sen slope with Sen's rank-based interval, 8 sessions over 28 days). If this trend continues, in 4 weeks: 0.65 s (0.46 s to 0.77 s); the band shows the slope's uncertainty, not the session-to-session scatter.",
    );
  });

  it('never projects beyond the measure’s possible range', () => {
    const success = recoveryTrend(
      'assessmentSuccess',
      [0, 4, 8, 12, 16, 20].map((d, i) => ({ date: on(d), value: 0.5 + 0.1 * i })),
    );
    if (success.state !== 'trend') throw new Error(success.text);
    expect(success.projection.value).toBe(1);
    expect(success.projection.high).toBe(1);
    const level = recoveryTrend(
      'levelReached',
      [0, 4, 8, 12, 16, 20].map((d, i) => ({ date: on(d), value: 30 - 6 * i })),
    );
    if (level.state !== 'trend') throw new Error(level.text);
    expect(level.projection.value).toBe(0);
    expect(level.projection.low).toBe(0);
  });

  it('below 5 sessions or 14 days: no projection, and the reason; bad values are left out, never NaN', () => {
    const four = recoveryTrend(
      'levelReached',
      [0, 5, 10, 15].map((d) => ({ date: on(d), value: 50 })),
    );
    expect(four).toMatchObject({
      state: 'not_enough_data',
      reason: '4 sessions with a value; a projection needs at least 5 over at least 14 days',
    });
    const short = recoveryTrend(
      'levelReached',
      [0, 2, 4, 6, 8, 10].map((d) => ({ date: on(d), value: 50 })),
    );
    expect(short.state).toBe('not_enough_data');
    expect(short.text).toBe(
      'Difficulty level reached: no projection yet: the sessions span 10 days; a projection needs at least 14.',
    );
    const one = recoveryTrend('assessmentSparc', [{ date: on(0), value: -1.8 }]);
    expect(one.text).toBe(
      'Standard reach test smoothness (SPARC): no projection yet: 1 session with a value; a projection needs at least 5 over at least 14 days.',
    );
    const bad = recoveryTrend('assessmentSparc', [
      ...[0, 7, 14, 21].map((d) => ({ date: on(d), value: -1.8 })),
      { date: on(28), value: NaN },
      { date: 'not a date', value: -1.5 },
      { date: on(30), value: null },
    ]);
    expect(bad.state).toBe('not_enough_data');
    // All values equal: a flat trend with a zero-width interval, not NaN.
    const flat = recoveryTrend(
      'assessmentSparc',
      [0, 7, 14, 21, 28].map((d) => ({ date: on(d), value: -1.8 })),
    );
    if (flat.state !== 'trend') throw new Error(flat.text);
    expect([flat.slope, flat.slopeLow, flat.slopeHigh]).toEqual([0, 0, 0]);
    expect(flat.projection.value).toBe(-1.8);
    expect(JSON.stringify([four, short, one, bad, flat])).not.toMatch(/NaN|null,"low"/);
  });

  it('session values from the standard reach test only, per arm', () => {
    const t = (
      outcome: PersonalTrial['outcome'],
      mt: number | null,
      assessment = true,
      arm: 'left' | 'right' = 'right',
    ): PersonalTrial => ({
      sessionId: 's',
      task: 'touch',
      arm,
      sector: 10,
      outcome,
      assessment,
      metrics: { movementTime: mt, sparc: -1.6 },
    });
    expect(
      assessmentValues(
        [
          t('hit', 1),
          t('miss_not_reached', null),
          t('hit', 1.4),
          t('hit', 9, false),
          t('hit', 9, true, 'left'),
        ],
        'right',
      ),
    ).toEqual({ assessmentSuccess: 2 / 3, assessmentMovementTime: 1.2, assessmentSparc: -1.6 });
    expect(assessmentValues([t('hit', 1, false)], 'right')).toEqual({
      assessmentSuccess: null,
      assessmentMovementTime: null,
      assessmentSparc: null,
    });
  });
});

describe('evidence: recovery with a known slope', () => {
  it('the 95 % interval covers the true slope in 90 to 99 % of 400 seeds', () => {
    // 12 sessions over about 6 weeks (every 3-4 days), movement time falling 0.01 s a day, noise SD 0.06 s.
    const trueSlopePerWeek = -0.07;
    let covered = 0;
    const seeds = 400;
    for (let seed = 1; seed <= seeds; seed++) {
      const random = mulberry32(seed * 104729);
      let day = 0;
      const values = [];
      for (let i = 0; i < 12; i++) {
        values.push({
          date: on(day),
          value: 1.6 + (trueSlopePerWeek / 7) * day + 0.06 * normal(random),
        });
        day += 3 + Math.floor(random() * 2);
      }
      const report = recoveryTrend('assessmentMovementTime', values);
      if (report.state !== 'trend') throw new Error(report.text);
      if (report.slopeLow <= trueSlopePerWeek && trueSlopePerWeek <= report.slopeHigh) covered++;
    }
    console.log(`recovery: the 95 % interval covered the true slope in ${covered}/${seeds} seeds`);
    expect(covered / seeds).toBeGreaterThanOrEqual(0.9);
    expect(covered / seeds).toBeLessThanOrEqual(0.99);
  });
});
