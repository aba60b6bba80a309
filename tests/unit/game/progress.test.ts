import { describe, expect, it } from 'vitest';
import {
  daysInARow,
  longestHitRun,
  mergeProgressHistory,
  minutesOf,
  sessionProgress,
  sessionStars,
  spokenSummary,
  starsFor,
  unacknowledgedSessions,
  withSessionPlayed,
  type DayOf,
} from '../../../shared/game/progress';
import {
  EMPTY_PROGRESS_HISTORY,
  PROGRESS_RECENT_SESSIONS,
  progressHistorySchema,
  type PlayedSession,
  type ProgressHistory,
} from '../../../shared/protocol/progress';

/** A headset two hours east of UTC (as Central Europe in summer): its local day number. */
const utcPlus2: DayOf = (iso) => Math.floor((Date.parse(iso) + 2 * 3_600_000) / 86_400_000);
/** And one five hours west of UTC. */
const utcMinus5: DayOf = (iso) => Math.floor((Date.parse(iso) - 5 * 3_600_000) / 86_400_000);

let nextId = 0;
const session = (startedAt: string, trials: number, hits: number, bestStreak = hits) =>
  ({ sessionId: `s${++nextId}`, startedAt, trials, hits, bestStreak }) satisfies PlayedSession;

/** Newest first, as the server sends it; totals from the sessions themselves. */
function historyOf(...sessions: PlayedSession[]): ProgressHistory {
  const completed = sessions.filter((s) => s.trials > 0);
  return {
    completedSessions: completed.length,
    totalHits: completed.reduce((n, s) => n + s.hits, 0),
    recent: completed,
  };
}

describe('sessionProgress', () => {
  it('a first session: one of one, one day, its own hits as the record', () => {
    const played = session('2026-06-10T08:00:00Z', 12, 9, 5);
    expect(sessionProgress(EMPTY_PROGRESS_HISTORY, played, 7 * 60 + 20, utcPlus2)).toEqual({
      reaches: 12,
      testReaches: 0,
      hits: 9,
      stars: 2,
      minutesActive: 7,
      personalBest: { kind: 'first-session', value: 9, previous: null },
      completedSessions: 1,
      daysInARow: 1,
    });
  });

  it('counts days in a row across local midnight, in the headset time zone', () => {
    // 21:30 UTC on the 8th is 23:30 on the 8th at UTC+2; 22:15 UTC on the 9th is 00:15 on the 10th.
    const history = historyOf(
      session('2026-06-09T22:15:00Z', 10, 8), // local 10 June 00:15
      session('2026-06-08T21:30:00Z', 10, 8), // local 8 June 23:30
    );
    const played = session('2026-06-10T09:00:00Z', 10, 8); // local 10 June
    // 8 June, 10 June: the 9th has none at UTC+2.
    expect(sessionProgress(history, played, 300, utcPlus2).daysInARow).toBe(1);
    // At UTC-5 the same sessions fall on the 8th, 9th and 10th (16:30, 17:15, 04:00).
    expect(sessionProgress(history, played, 300, utcMinus5).daysInARow).toBe(3);
  });

  it('two sessions on one day count one day; a gap of a day starts the run again', () => {
    const history = historyOf(
      session('2026-06-09T15:00:00Z', 10, 5),
      session('2026-06-09T08:00:00Z', 10, 5),
      session('2026-06-07T08:00:00Z', 10, 5), // the 8th is missing
      session('2026-06-06T08:00:00Z', 10, 5),
    );
    const played = session('2026-06-10T08:00:00Z', 10, 5);
    const progress = sessionProgress(history, played, 300, utcPlus2);
    expect(progress.daysInARow).toBe(2);
    expect(progress.completedSessions).toBe(5);
  });

  it('a session stopped before any reach keeps yesterday run and adds no tree', () => {
    const history = historyOf(
      session('2026-06-09T08:00:00Z', 10, 5),
      session('2026-06-08T08:00:00Z', 10, 5),
    );
    const played = session('2026-06-10T08:00:00Z', 0, 0);
    const progress = sessionProgress(history, played, 20, utcPlus2);
    expect(progress).toMatchObject({
      reaches: 0,
      stars: 1,
      minutesActive: 1,
      completedSessions: 2,
      daysInARow: 2,
    });
    expect(progress.personalBest).toEqual({ kind: 'total-hits', value: 10, previous: 10 });
  });

  it('celebrates the first record that holds: most hits, then streak, then success, then total', () => {
    const history = historyOf(
      session('2026-06-09T08:00:00Z', 20, 12, 4), // 60 %
      session('2026-06-08T08:00:00Z', 10, 7, 6), // 70 %
    );
    const at = '2026-06-10T08:00:00Z';
    const best = (trials: number, hits: number, streak: number) =>
      sessionProgress(history, session(at, trials, hits, streak), 300, utcPlus2).personalBest;
    expect(best(20, 13, 3)).toEqual({ kind: 'most-hits', value: 13, previous: 12 });
    expect(best(20, 12, 7)).toEqual({ kind: 'best-streak', value: 7, previous: 6 });
    expect(best(10, 8, 5)).toEqual({ kind: 'best-success', value: 80, previous: 70 });
    // Fewer hits, a shorter streak, a lower rate: still a true number that only grows.
    expect(best(10, 3, 2)).toEqual({ kind: 'total-hits', value: 22, previous: 19 });
  });

  it('does not count the session twice when the history already holds it', () => {
    const played = session('2026-06-10T08:00:00Z', 10, 6);
    const history = historyOf(played, session('2026-06-09T08:00:00Z', 10, 8));
    const progress = sessionProgress(history, played, 300, utcPlus2);
    expect(progress.completedSessions).toBe(2);
    expect(progress.personalBest).toEqual({ kind: 'total-hits', value: 14, previous: 8 });
    expect(progress.daysInARow).toBe(2);
  });

  it('counts each trial once when the history holds only a part of the session (ended while the headset was away)', () => {
    // The server stored 4 trials (3 hits) before the therapist ended it; the headset, resumed
    // after a reload, played 10 (6 hits): the other 6 trials were still in its outbox.
    const played = session('2026-06-10T08:00:00Z', 10, 6);
    const stored = { ...played, trials: 4, hits: 3, bestStreak: 3 };
    const history = historyOf(stored, session('2026-06-09T08:00:00Z', 10, 8));
    expect(history.totalHits).toBe(11);
    const progress = sessionProgress(history, played, 300, utcPlus2);
    expect(progress).toMatchObject({ reaches: 10, hits: 6, completedSessions: 2, daysInARow: 2 });
    expect(progress.personalBest).toEqual({ kind: 'total-hits', value: 14, previous: 8 });
  });
});

describe('the standard reach test in the end scene', () => {
  it('stars judge the adapted reaches; a session of test reaches only, those', () => {
    expect(sessionStars({ trials: 10, hits: 2 }, { trials: 8, hits: 0 })).toBe(3);
    expect(sessionStars({ trials: 18, hits: 12 }, { trials: 8, hits: 8 })).toBe(1);
    expect(sessionStars({ trials: 18, hits: 13 }, { trials: 8, hits: 8 })).toBe(2);
    expect(sessionStars({ trials: 8, hits: 7 }, { trials: 8, hits: 7 })).toBe(3);
    expect(sessionStars({ trials: 0, hits: 0 }, { trials: 0, hits: 0 })).toBe(1);
  });

  it('every reach counts for reached, records, sessions; the test is marked', () => {
    const played = session('2026-03-02T09:00:00.000Z', 12, 6, 4);
    const utc: DayOf = (iso) => Math.floor(Date.parse(iso) / 86_400_000);
    expect(
      sessionProgress(EMPTY_PROGRESS_HISTORY, played, 400, utc, { trials: 8, hits: 2 }),
    ).toEqual({
      reaches: 12,
      hits: 6,
      testReaches: 8,
      // 4 of the plan's 4 reached: 3 stars (6 of 12 would give 2).
      stars: 3,
      minutesActive: 7,
      personalBest: { kind: 'first-session', value: 6, previous: null },
      completedSessions: 1,
      daysInARow: 1,
    });
  });
});

describe('stars, minutes, runs', () => {
  it('stars: 3 from 80 %, 2 from 50 %, else 1, never 0', () => {
    expect([starsFor(0, 0), starsFor(10, 4), starsFor(10, 5), starsFor(10, 7)]).toEqual([
      1, 1, 2, 2,
    ]);
    expect([starsFor(10, 8), starsFor(5, 5)]).toEqual([3, 3]);
  });

  it('minutes: rounded, at least 1 once played, 0 for nothing', () => {
    expect([minutesOf(0), minutesOf(10), minutesOf(89), minutesOf(90), minutesOf(601)]).toEqual([
      0, 1, 1, 2, 10,
    ]);
  });

  it('days in a row from today, or from yesterday when today has none yet', () => {
    expect(daysInARow(new Set([10, 9, 8, 6]), 10)).toBe(3);
    expect(daysInARow(new Set([9, 8]), 10)).toBe(2);
    expect(daysInARow(new Set([8]), 10)).toBe(0);
    expect(daysInARow(new Set(), 10)).toBe(0);
  });

  it('longest run of hits', () => {
    expect(longestHitRun(['hit', 'hit', 'miss_too_slow', 'hit', 'hit', 'hit', 'miss'])).toBe(3);
    expect(longestHitRun([])).toBe(0);
  });
});

describe('withSessionPlayed (the offline copy)', () => {
  it('adds a completed session once, newest first, within the bound', () => {
    const old = historyOf(session('2026-06-09T08:00:00Z', 10, 8));
    const played = session('2026-06-10T08:00:00Z', 10, 6);
    const once = withSessionPlayed(old, played);
    expect(once).toEqual({
      completedSessions: 2,
      totalHits: 14,
      recent: [played, old.recent[0]],
    });
    expect(withSessionPlayed(once, played)).toBe(once);
    expect(withSessionPlayed(old, session('2026-06-10T09:00:00Z', 0, 0))).toBe(old);
    const full: ProgressHistory = {
      completedSessions: 900,
      totalHits: 9000,
      recent: Array.from({ length: PROGRESS_RECENT_SESSIONS }, () =>
        session('2026-01-01T08:00:00Z', 10, 10),
      ),
    };
    const next = withSessionPlayed(full, played);
    expect(next.recent).toHaveLength(PROGRESS_RECENT_SESSIONS);
    expect(next.recent[0]).toBe(played);
    expect(progressHistorySchema.safeParse(next).success).toBe(true);
  });

  it('the wire schema refuses an unbounded or malformed history', () => {
    const tooMany = {
      ...EMPTY_PROGRESS_HISTORY,
      recent: new Array(401).fill(session('2026-01-01T08:00:00Z', 1, 1)),
    };
    expect(progressHistorySchema.safeParse(tooMany).success).toBe(false);
    expect(
      progressHistorySchema.safeParse({ ...EMPTY_PROGRESS_HISTORY, totalHits: -1 }).success,
    ).toBe(false);
  });
});

describe('spokenSummary', () => {
  const trees = { one: 'tree', many: 'trees' };
  it('says the hits, stars, record, the world and the run of days', () => {
    const history = historyOf(
      session('2026-06-09T08:00:00Z', 10, 9),
      session('2026-06-08T08:00:00Z', 10, 8),
    );
    const progress = sessionProgress(
      history,
      session('2026-06-10T08:00:00Z', 12, 10),
      300,
      utcPlus2,
    );
    expect(spokenSummary(progress, trees)).toBe(
      'All done. Well done! You reached 10 targets. 3 stars. ' +
        'A new record: 10 reached in one session! You have 3 trees now. 3 days in a row.',
    );
  });

  it('a first session: one tree, one star, no run of days to speak of', () => {
    const progress = sessionProgress(
      EMPTY_PROGRESS_HISTORY,
      session('2026-06-10T08:00:00Z', 3, 1),
      60,
      utcPlus2,
    );
    expect(spokenSummary(progress, trees)).toBe(
      'All done. Well done! You reached 1 target. 1 star. Your first session! You have 1 tree now.',
    );
  });
});

describe("mergeProgressHistory (the server's history and what the outbox still holds)", () => {
  const monday = session('2026-03-02T09:00:00.000Z', 10, 8, 5);
  const tuesday = session('2026-03-03T09:00:00.000Z', 12, 6, 3);
  const wednesday = session('2026-03-04T09:00:00.000Z', 8, 7, 7);
  const thursday = session('2026-03-05T09:00:00.000Z', 9, 9, 9);
  const server = historyOf(tuesday, monday);

  it('adds a session the server has not counted yet, once, newest first', () => {
    expect(mergeProgressHistory(server, [wednesday])).toEqual({
      completedSessions: 3,
      totalHits: 8 + 6 + 7,
      recent: [wednesday, tuesday, monday],
    });
    // Two sessions played offline, remembered in either order, and one of them listed twice.
    expect(mergeProgressHistory(server, [wednesday, thursday, wednesday])).toEqual({
      completedSessions: 4,
      totalHits: 8 + 6 + 7 + 9,
      recent: [thursday, wednesday, tuesday, monday],
    });
  });

  it('counts a session the server already holds once: the server’s figures stand', () => {
    // The server stored it with a trial fewer (the therapist stopped it while the headset was away).
    const stored = { ...wednesday, trials: 7, hits: 6 };
    const both = historyOf(stored, tuesday, monday);
    expect(mergeProgressHistory(both, [wednesday])).toBe(both);
    expect(unacknowledgedSessions(both, [wednesday, thursday])).toEqual([thursday]);
  });

  it('drops what the server can no longer be waiting for: older than its newest session', () => {
    // The outbox delivers in order: with Wednesday stored, Tuesday's end was delivered or refused.
    const lost = session('2026-03-03T10:00:00.000Z', 4, 4, 4);
    const withWednesday = historyOf(wednesday, tuesday, monday);
    expect(unacknowledgedSessions(withWednesday, [lost, thursday])).toEqual([thursday]);
    expect(mergeProgressHistory(withWednesday, [lost]).completedSessions).toBe(3);
  });

  it('leaves out a session without a trial (the server counts none such)', () => {
    const empty = session('2026-03-04T09:00:00.000Z', 0, 0, 0);
    expect(mergeProgressHistory(server, [empty])).toBe(server);
  });

  it('keeps the recent sessions within the bound, the totals counting every one', () => {
    const many = Array.from({ length: PROGRESS_RECENT_SESSIONS }, (_, i) =>
      session(new Date(Date.parse('2025-01-01T09:00:00.000Z') + i * 3_600_000).toISOString(), 2, 1),
    ).reverse();
    const full = historyOf(...many);
    const merged = mergeProgressHistory(full, [thursday]);
    expect(merged.completedSessions).toBe(PROGRESS_RECENT_SESSIONS + 1);
    expect(merged.totalHits).toBe(PROGRESS_RECENT_SESSIONS + 9);
    expect(merged.recent).toHaveLength(PROGRESS_RECENT_SESSIONS);
    expect(merged.recent[0]).toBe(thursday);
    expect(merged.recent.at(-1)).toBe(many.at(-2));
    expect(progressHistorySchema.safeParse(merged).success).toBe(true);
  });

  it('the end scene after a merge: the session the outbox still holds counts in the run of days', () => {
    const friday = session('2026-03-06T09:00:00.000Z', 5, 5, 5);
    const utc: DayOf = (iso) => Math.floor(Date.parse(iso) / 86_400_000);
    const merged = mergeProgressHistory(historyOf(wednesday, tuesday, monday), [thursday]);
    expect(sessionProgress(merged, friday, 300, utc)).toMatchObject({
      completedSessions: 5,
      daysInARow: 5,
    });
    // Without the merge, the fetched history alone drops Thursday: a broken run, a session fewer.
    expect(sessionProgress(historyOf(wednesday, tuesday, monday), friday, 300, utc)).toMatchObject({
      completedSessions: 4,
      daysInARow: 1,
    });
  });
});
