import type { Db } from './database';
import type { SessionTable } from './schema';

export type SessionRow = SessionTable;

/** Idempotent on the headset-made id: returns the stored row, new or not. */
export async function upsertSessionStart(
  db: Db,
  row: Pick<
    SessionTable,
    'id' | 'patient_id' | 'device_id' | 'mode' | 'started_at' | 'calibration_json'
  >,
): Promise<SessionRow> {
  await db
    .insertInto('sessions')
    .values({ ...row, ended_at: null, end_reason: null, last_state_json: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return db.selectFrom('sessions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
}

export async function findSession(db: Db, id: string) {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function endSession(
  db: Db,
  id: string,
  endedAt: string,
  reason: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ ended_at: endedAt, end_reason: reason })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .execute();
}

export async function saveSessionState(db: Db, id: string, stateJson: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_state_json: stateJson })
    .where('id', '=', id)
    .execute();
}

/** The newest session still running for the patient, if any. */
export async function findOpenSession(db: Db, patientId: string) {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('ended_at', 'is', null)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Newest first; the newest `limit` only when given. */
export async function listSessions(db: Db, patientId: string, limit?: number) {
  const query = db
    .selectFrom('sessions')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('started_at', 'desc');
  return (limit === undefined ? query : query.limit(limit)).execute();
}

export async function countSessionsSince(db: Db, patientId: string, since: string) {
  const { count } = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('patient_id', '=', patientId)
    .where('started_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** Follows a recalibration into the session being played, never into one that has ended. */
export async function saveOpenSessionCalibration(
  db: Db,
  id: string,
  calibrationJson: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ calibration_json: calibrationJson })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .execute();
}
