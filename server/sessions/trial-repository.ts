import type { Trial, TrialResult } from '../../shared/protocol';
import type { Db } from '../storage/database';

/**
 * Inserts the trial unless its id is already stored. Returns whether this call stored it; the
 * trial and its samples land in one row, so a crash never leaves half a trial.
 */
export async function insertTrialOnce(db: Db, patientId: string, trial: Trial): Promise<boolean> {
  const { samples, ...result } = trial;
  const inserted = await db
    .insertInto('trials')
    .values({
      id: trial.id,
      session_id: trial.sessionId,
      patient_id: patientId,
      trial_number: trial.trialNumber,
      arm: trial.arm,
      outcome: trial.outcome,
      started_at: new Date(trial.startedAt).toISOString(),
      level_after: trial.levelAfter,
      assessment: trial.assessment ? 1 : 0,
      result_json: JSON.stringify(result),
      samples_json: JSON.stringify(samples),
      stored_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findTrialOwner(db: Db, trialId: string) {
  return db
    .selectFrom('trials')
    .select(['patient_id', 'session_id'])
    .where('id', '=', trialId)
    .executeTakeFirst();
}

/**
 * A stored result as the API and exports give it: the assessment mark is the column's (a trial
 * stored before the standard reach test existed has none in its JSON, and is not one).
 */
export function storedTrialResult(row: { result_json: string; assessment: number }): TrialResult {
  return {
    ...(JSON.parse(row.result_json) as TrialResult),
    assessment: Number(row.assessment) === 1,
  };
}

/**
 * Session ids per `in (...)` query: SQLite allows 32,766 bound parameters, PostgreSQL 65,535, and a
 * patient may hold more sessions than that.
 */
export const SESSION_IDS_PER_QUERY = 5000;

/** Trial results of these sessions, each session's in trial order (the sessions stay together). */
export async function listTrialResults(db: Db, sessionIds: string[]): Promise<TrialResult[]> {
  const results: TrialResult[] = [];
  for (let from = 0; from < sessionIds.length; from += SESSION_IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('trials')
      .select(['result_json', 'assessment'])
      .where('session_id', 'in', sessionIds.slice(from, from + SESSION_IDS_PER_QUERY))
      .orderBy('session_id')
      .orderBy('trial_number')
      .orderBy('started_at')
      .execute();
    for (const r of rows) results.push(storedTrialResult(r));
  }
  return results;
}

/**
 * A page of a session's full trials as JSON text, in trial order: the stored result with its
 * stored samples spliced in, neither parsed nor re-encoded (an export reads hundreds of MB).
 */
export async function pageFullTrialsJson(
  db: Db,
  sessionId: string,
  offset: number,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('trials')
    .select(['result_json', 'samples_json'])
    .where('session_id', '=', sessionId)
    .orderBy('trial_number')
    .orderBy('started_at')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
  // result_json is a JSON object (never empty: it holds the trial's id): reopen it for samples.
  return rows.map((r) => `${r.result_json.slice(0, -1)},"samples":${r.samples_json}}`);
}

export async function countTrials(db: Db, sessionId: string): Promise<number> {
  const row = await db
    .selectFrom('trials')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
