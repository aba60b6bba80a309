import {
  PROGRESS_RECENT_SESSIONS,
  type PlayedSession,
  type ProgressHistory,
} from '../protocol/progress';

/**
 * What the patient sees at the end of a session: the session just played, set against their
 * progress history (from the server, or the copy cached with the plan when offline). Pure: the
 * caller says which local calendar day a time falls on (`dayOf`), so the same function serves the
 * headset's time zone and the tests' fixed ones.
 */

/** A calendar day as a whole number (consecutive days differ by 1), in the patient's time zone. */
export type DayOf = (isoTime: string) => number;

/**
 * The one record the scene celebrates, the first of these that holds, so that there is always
 * something true and nothing punishing to show:
 * - `first-session`: no session before this one;
 * - `most-hits`: more targets reached than in any earlier session (of the recent ones);
 * - `best-streak`: a longer run of hits in a row than ever;
 * - `best-success`: a higher share of hits than ever (percent);
 * - `total-hits`: otherwise, all targets reached over every session, this one included.
 */
export type PersonalBestKind =
  'first-session' | 'most-hits' | 'best-streak' | 'best-success' | 'total-hits';

export interface PersonalBest {
  kind: PersonalBestKind;
  value: number;
  /** The record before this session (null for the first session). */
  previous: number | null;
}

export interface SessionProgress {
  /** Trials done in this session (a reach each, hit or not), the standard reach test's included. */
  reaches: number;
  hits: number;
  /** How many of `reaches` were the standard reach test's (the patient's "warm-up"). */
  testReaches: number;
  /** 1 to 3 from this session's success rate at the adapted level: see `sessionStars`. */
  stars: 1 | 2 | 3;
  /** Active play (pauses not counted), whole minutes, at least 1 once anything was played. */
  minutesActive: number;
  personalBest: PersonalBest;
  /** Completed sessions ever, this one included when it counts: one tree, lantern or coral each. */
  completedSessions: number;
  /** Consecutive calendar days with a completed session, up to today (or yesterday: see below). */
  daysInARow: number;
}

/** Three stars from 80 % hits, two from 50 %, one for taking part: never zero. */
export function starsFor(trials: number, hits: number): 1 | 2 | 3 {
  if (trials === 0) return 1;
  const rate = hits / trials;
  if (rate >= 0.8) return 3;
  if (rate >= 0.5) return 2;
  return 1;
}

/** The standard reach test's share of a session's trials and hits. */
export interface TestReaches {
  trials: number;
  hits: number;
}
export const NO_TEST_REACHES: TestReaches = Object.freeze({ trials: 0, hits: 0 });

/**
 * A session's stars judge the reaches at the adapted level: the standard reach test's targets are
 * fixed (80 % of reach, small, whatever the level), so a patient who misses most of them while
 * the plan's trials go well still gets the plan's stars. A session of test trials only (stopped
 * during the warm-up) is judged on those.
 */
export function sessionStars(played: Pick<PlayedSession, 'trials' | 'hits'>, test: TestReaches) {
  const trials = played.trials - test.trials;
  return trials > 0
    ? starsFor(trials, played.hits - test.hits)
    : starsFor(played.trials, played.hits);
}

/** A session counts (tree, streak, records) once it has at least one trial. */
export const isCompleted = (s: Pick<PlayedSession, 'trials'>): boolean => s.trials > 0;

/** Whole minutes of active play; a short session still shows 1, not 0. */
export function minutesOf(activeSeconds: number): number {
  if (!(activeSeconds > 0)) return 0;
  return Math.max(1, Math.round(activeSeconds / 60));
}

/**
 * Days in a row: counted back from the day the session started. A day with no completed session
 * yet (the patient stopped before the first reach) does not break the run: it is counted from the
 * day before, since today is not over.
 */
export function daysInARow(days: ReadonlySet<number>, today: number): number {
  let day = days.has(today) ? today : today - 1;
  let run = 0;
  while (days.has(day)) {
    run++;
    day--;
  }
  return run;
}

const successPercent = (s: PlayedSession) => Math.round((100 * s.hits) / s.trials);

function maxOf(sessions: readonly PlayedSession[], value: (s: PlayedSession) => number): number {
  let best = -Infinity;
  for (const s of sessions) best = Math.max(best, value(s));
  return best;
}

function personalBestOf(
  played: PlayedSession,
  earlier: readonly PlayedSession[],
  totalHitsBefore: number,
): PersonalBest {
  if (earlier.length === 0) return { kind: 'first-session', value: played.hits, previous: null };
  const mostHits = maxOf(earlier, (s) => s.hits);
  if (played.hits > mostHits) return { kind: 'most-hits', value: played.hits, previous: mostHits };
  const bestStreak = maxOf(earlier, (s) => s.bestStreak);
  if (played.bestStreak > bestStreak)
    return { kind: 'best-streak', value: played.bestStreak, previous: bestStreak };
  if (isCompleted(played)) {
    const bestSuccess = maxOf(earlier, successPercent);
    const success = successPercent(played);
    if (success > bestSuccess)
      return { kind: 'best-success', value: success, previous: bestSuccess };
  }
  return {
    kind: 'total-hits',
    value: totalHitsBefore + played.hits,
    previous: totalHitsBefore,
  };
}

/**
 * The end-of-session figures: this session against the history played before it. Every reach
 * counts (reached, records, sessions, days: as the server's history counts them), the standard
 * reach test's (`test`) included; only the stars leave the test out (`sessionStars`).
 */
export function sessionProgress(
  history: ProgressHistory,
  played: PlayedSession,
  activeSeconds: number,
  dayOf: DayOf,
  test: TestReaches = NO_TEST_REACHES,
): SessionProgress {
  // The history may already hold this session (sent again after a reload): never count it twice.
  // It holds it as the server stored it, which may be a part of it (the therapist ended it while
  // the headset was away, the rest of its trials still in the outbox): what the history counted
  // of it is taken out, not what the headset played.
  const earlier = history.recent.filter((s) => s.sessionId !== played.sessionId && isCompleted(s));
  let hitsCounted = 0;
  for (const s of history.recent)
    if (s.sessionId === played.sessionId && isCompleted(s)) hitsCounted += s.hits;
  const alreadyCounted = earlier.length !== history.recent.filter(isCompleted).length;
  const counts = isCompleted(played) && !alreadyCounted;
  const totalHitsBefore = history.totalHits - hitsCounted;
  const days = new Set(earlier.map((s) => dayOf(s.startedAt)));
  const today = dayOf(played.startedAt);
  if (isCompleted(played)) days.add(today);
  return {
    reaches: played.trials,
    hits: played.hits,
    testReaches: test.trials,
    stars: sessionStars(played, test),
    minutesActive: minutesOf(activeSeconds),
    personalBest: personalBestOf(played, earlier, totalHitsBefore),
    completedSessions: history.completedSessions + (counts ? 1 : 0),
    daysInARow: daysInARow(days, today),
  };
}

/**
 * The history with a session just played added (newest first, bounded): kept with the cached
 * plan, so that the next session played offline counts this one too. The server's history
 * replaces it at the next online start.
 */
export function withSessionPlayed(
  history: ProgressHistory,
  played: PlayedSession,
): ProgressHistory {
  if (!isCompleted(played) || history.recent.some((s) => s.sessionId === played.sessionId))
    return history;
  return {
    completedSessions: history.completedSessions + 1,
    totalHits: history.totalHits + played.hits,
    recent: [played, ...history.recent].slice(0, PROGRESS_RECENT_SESSIONS),
  };
}

/**
 * The sessions played on this headset that the server's history does not count yet, newest
 * first: completed ones (the server counts no other), not in the server's recent sessions (by
 * id), and none started before the newest session the server holds (the outbox delivers in
 * order: once the server has a later session, this one's end was delivered or refused).
 */
export function unacknowledgedSessions(
  server: ProgressHistory,
  local: readonly PlayedSession[],
): PlayedSession[] {
  const known = new Set(server.recent.map((s) => s.sessionId));
  let newestKnown = -Infinity;
  for (const s of server.recent) newestKnown = Math.max(newestKnown, Date.parse(s.startedAt));
  const kept: PlayedSession[] = [];
  for (const s of local) {
    if (!isCompleted(s) || known.has(s.sessionId)) continue;
    if (Date.parse(s.startedAt) < newestKnown) continue;
    known.add(s.sessionId);
    kept.push(s);
  }
  return kept.sort(newestFirst);
}

const newestFirst = (a: PlayedSession, b: PlayedSession) =>
  Date.parse(b.startedAt) - Date.parse(a.startedAt);

/**
 * The server's history with the sessions this headset played and the server has not counted yet
 * (`unacknowledgedSessions`: their records are still in the outbox): each counted once, in the
 * totals and in the recent sessions (newest first, bounded). So the history fetched at an online
 * start, before the outbox has delivered, does not lose a session the patient just played.
 */
export function mergeProgressHistory(
  server: ProgressHistory,
  local: readonly PlayedSession[],
): ProgressHistory {
  const added = unacknowledgedSessions(server, local);
  if (added.length === 0) return server;
  let hits = 0;
  for (const s of added) hits += s.hits;
  return {
    completedSessions: server.completedSessions + added.length,
    totalHits: server.totalHits + hits,
    recent: [...added, ...server.recent].sort(newestFirst).slice(0, PROGRESS_RECENT_SESSIONS),
  };
}

/** Longest run of consecutive hits in trial order (what the server computes from its trials). */
export function longestHitRun(outcomes: Iterable<string>): number {
  let run = 0;
  let best = 0;
  for (const outcome of outcomes) {
    run = outcome === 'hit' ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

/** What one session adds to the world, in words ("tree", "trees"). */
export interface ProgressThing {
  one: string;
  many: string;
}

const plural = (n: number, thing: ProgressThing) => `${n} ${n === 1 ? thing.one : thing.many}`;

const RECORD_WORDS: Record<PersonalBestKind, (value: number) => string> = {
  'first-session': () => 'Your first session!',
  'most-hits': (v) => `A new record: ${v} reached in one session!`,
  'best-streak': (v) => `A new record: ${v} in a row!`,
  'best-success': (v) => `A new record: ${v} percent reached!`,
  'total-hits': (v) => `${v} reached since you started.`,
};

/**
 * The end scene said aloud, short and warm: the patient may not read the board. `thing` is what
 * the world grows per completed session (trees in the orchard, lanterns, corals).
 */
export function spokenSummary(progress: SessionProgress, thing: ProgressThing): string {
  const words = [
    'All done. Well done!',
    `You reached ${progress.hits} ${progress.hits === 1 ? 'target' : 'targets'}.`,
    `${plural(progress.stars, { one: 'star', many: 'stars' })}.`,
    RECORD_WORDS[progress.personalBest.kind](progress.personalBest.value),
  ];
  if (progress.completedSessions > 0)
    words.push(`You have ${plural(progress.completedSessions, thing)} now.`);
  if (progress.daysInARow > 1) words.push(`${progress.daysInARow} days in a row.`);
  return words.join(' ');
}
