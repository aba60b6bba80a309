import { sql } from 'kysely';
import { longestHitRun } from '../../shared/game/progress';
import {
  PROGRESS_RECENT_SESSIONS,
  type PlayedSession,
  type ProgressHistory,
} from '../../shared/protocol/progress';
import type { Db } from '../storage/database';

/**
 * The patient's progress history for the headset's end-of-session scene, from the sessions and
 * trials already stored: every completed session (ended, not abandoned, with at least one trial)
 * counted, the newest PROGRESS_RECENT_SESSIONS of them with their counts and longest run of hits.
 * Two queries: per-session counts (grouped in SQL), then the recent sessions' outcomes in order.
 */
export async function loadProgressHistory(db: Db, patientId: string): Promise<ProgressHistory> {
  const counted = await db
    .selectFrom('sessions')
    .innerJoin('trials', 'trials.session_id', 'sessions.id')
    .where('sessions.patient_id', '=', patientId)
    .where('sessions.ended_at', 'is not', null)
    .where('sessions.end_reason', '!=', 'abandoned')
    .groupBy(['sessions.id', 'sessions.started_at'])
    .select([
      'sessions.id as id',
      'sessions.started_at as startedAt',
      (eb) => eb.fn.countAll<number | string>().as('trials'),
      sql<
        number | string
      >`sum(case when ${sql.ref('trials.outcome')} = 'hit' then 1 else 0 end)`.as('hits'),
    ])
    .orderBy('sessions.started_at', 'desc')
    .execute();
  const recentRows = counted.slice(0, PROGRESS_RECENT_SESSIONS);
  const outcomes = new Map<string, string[]>(recentRows.map((r) => [r.id, []]));
  if (recentRows.length > 0) {
    const rows = await db
      .selectFrom('trials')
      .select(['session_id', 'outcome'])
      .where(
        'session_id',
        'in',
        recentRows.map((r) => r.id),
      )
      .orderBy('session_id')
      .orderBy('trial_number')
      .orderBy('started_at')
      .execute();
    for (const row of rows) outcomes.get(row.session_id)?.push(row.outcome);
  }
  let totalHits = 0;
  for (const row of counted) totalHits += Number(row.hits);
  const recent: PlayedSession[] = recentRows.map((row) => ({
    sessionId: row.id,
    startedAt: new Date(row.startedAt).toISOString(),
    trials: Number(row.trials),
    hits: Number(row.hits),
    bestStreak: longestHitRun(outcomes.get(row.id) ?? []),
  }));
  return { completedSessions: counted.length, totalHits, recent };
}
