import { describe, expect, it } from 'vitest';
import {
  ABNORMAL_ALERT_INTERVAL_MS,
  createSessionFlagMonitor,
  MAP_CSV_COLUMNS,
  mapCsvRows,
  stepSessionFlags,
  TREND_CSV_COLUMNS,
  trendCsvRows,
  personalTrends,
  type PersonalTrial,
} from '../../../shared/clinical/index';

const trial = (movementTime: number, over: Partial<PersonalTrial> = {}): PersonalTrial => ({
  sessionId: 'old',
  task: 'touch',
  arm: 'right',
  sector: 18,
  outcome: 'hit',
  metrics: { movementTime },
  ...over,
});

/** 20 movement times 0.9 .. 1.1: median 1.0, MAD 0.05; 2.4 s is far outside, 1.0 s usual. */
const HISTORY = Array.from({ length: 20 }, (_, i) => trial([0.9, 0.95, 1.0, 1.05, 1.1][i % 5]!));
const now = (trialSession: string) => (t: number) => trial(t, { sessionId: trialSession });
const inSession = now('s');

describe('session flag monitor (live abnormal trials and fatigue)', () => {
  it('flags against the history, and alerts at most once per interval with a folded count', () => {
    const m = createSessionFlagMonitor(HISTORY);
    const first = stepSessionFlags(m, inSession(2.4), 0);
    expect(first.check.flags.map((f) => f.measure)).toEqual(['movementTime']);
    expect(first.alert).toEqual({
      trials: 1,
      text: 'A reach unusual for this patient: movement time 2.40 s; this patient’s usual for up-across is 1.00 s, range 0.90 to 1.10 s: slower than almost all of their reaches.',
    });
    // Two more within the interval: flagged in the feed, no alert.
    const second = stepSessionFlags(m, inSession(2.5), 10_000);
    expect(second.check.flags).toHaveLength(1);
    expect(second.alert).toBeNull();
    expect(stepSessionFlags(m, inSession(2.6), 20_000).alert).toBeNull();
    // A usual trial within the interval: still nothing.
    expect(stepSessionFlags(m, inSession(1.0), 59_999).alert).toBeNull();
    // The first trial after the interval, even a usual one, carries the folded two.
    const after = stepSessionFlags(m, inSession(1.0), ABNORMAL_ALERT_INTERVAL_MS);
    expect(after.check.flags).toHaveLength(0);
    expect(after.alert!.trials).toBe(2);
    expect(after.alert!.text).toMatch(
      /^2 reaches unusual for this patient since the last note; the latest: movement time 2\.60 s;/,
    );
    // Nothing left to say.
    expect(stepSessionFlags(m, inSession(1.0), 200_000).alert).toBeNull();
  });

  it('under 20 comparable trials: no flag and no alert, however far off', () => {
    const m = createSessionFlagMonitor(HISTORY.slice(0, 19));
    const step = stepSessionFlags(m, inSession(9), 0);
    expect(step.check.state).toBe('no_baseline');
    expect(step.check.flags).toHaveLength(0);
    expect(step.alert).toBeNull();
    // The trial joined the baseline: the 21st comparable one is checked.
    expect(stepSessionFlags(m, inSession(1.0), 1).check.state).toBe('checked');
  });

  it('reports fatigue once per session, never again on later trials', () => {
    const m = createSessionFlagMonitor([]);
    const reports: number[] = [];
    for (let i = 0; i < 30; i++) {
      const step = stepSessionFlags(m, inSession(1 + i * 0.1), i * 1000);
      if (step.fatigue !== null) reports.push(i);
      expect(step.fatigue === null || step.fatigue.state === 'fatigue').toBe(true);
    }
    // Mann-Kendall on 1.0, 1.1, ... rising: S = n(n-1)/2; at n = 10, z = (45 - 1)/sqrt(125) = 3.94.
    expect(reports).toEqual([9]);
  });

  it('a session continued after a restart keeps its trials and its fatigue report', () => {
    const soFar = Array.from({ length: 12 }, (_, i) => inSession(1 + i * 0.1));
    const m = createSessionFlagMonitor(HISTORY, soFar, true);
    expect(m.sessionTrials).toHaveLength(12);
    expect(stepSessionFlags(m, inSession(2.3), 0).fatigue).toBeNull();
    const fresh = createSessionFlagMonitor(HISTORY, soFar, false);
    expect(stepSessionFlags(fresh, inSession(2.3), 0).fatigue!.state).toBe('fatigue');
  });
});

describe('map.csv and trends.csv rows', () => {
  it('map: 24 rows per arm with trials, exact medians, empty cells without trials', () => {
    const trials = [
      trial(1.0, { sector: 3, outcome: 'hit', metrics: { movementTime: 1, sparc: -2 } }),
      trial(2.0, { sector: 3, outcome: 'miss_too_slow', metrics: { movementTime: 2 } }),
      trial(3.0, { sector: 3, metrics: { movementTime: 3, sparc: Number.NaN } }),
    ];
    const lines = mapCsvRows('P-1', trials).split('\r\n').filter(Boolean);
    expect(MAP_CSV_COLUMNS).toHaveLength(12);
    expect(lines).toHaveLength(24);
    expect(lines[3]).toBe('P-1,right,3,low-ahead,3,0,3,3,0.6666666666666666,2,-2,');
    expect(lines[0]).toBe('P-1,right,0,low-across,0,0,0,0,,,,');
    expect(lines.join()).not.toMatch(/NaN|undefined/);
  });

  it('trends: the numbers of a trend, the reason when there is none', () => {
    const day = (d: number) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString();
    const sessions = [0, 4, 8, 12, 16].map((d, i) => ({
      startedAt: day(d),
      levelEnd: 10 + i * 2,
      reachWorkspace: null,
      trials: [],
    }));
    const lines = trendCsvRows('P-1', 'right', personalTrends(sessions, 'right'))
      .split('\r\n')
      .filter(Boolean);
    expect(TREND_CSV_COLUMNS).toHaveLength(15);
    expect(lines).toHaveLength(5);
    // Level rises 2 per 4 days: 3.5 per week exactly on a line (the interval collapses on it);
    // 4 weeks after day 16 (level 18): 18 + 28 x 0.5 = 32.
    expect(lines[0]).toBe(
      `P-1,right,levelReached,Difficulty level reached,trend,5,16,3.5,3.5,3.5,${day(44)},32,32,32,`,
    );
    expect(lines[1]).toBe(
      'P-1,right,workspaceReached,Workspace reached,not_enough_data,0,0,,,,,,,,0 sessions with a value; a projection needs at least 5 over at least 14 days',
    );
  });
});
