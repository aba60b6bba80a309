import type { Db } from '../storage/database';
import type { SessionTable } from '../storage/schema';

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

/** Ends a session still open; false when it had already ended (the first end stands). */
export async function endSession(
  db: Db,
  id: string,
  endedAt: string,
  reason: string,
): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ ended_at: endedAt, end_reason: reason })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Keeps the last scene state of a session still open; false once it has ended. */
export async function saveSessionState(db: Db, id: string, stateJson: string): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ last_state_json: stateJson })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
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

/**
 * The device's other sessions still open. A device plays one session at a time, so once it
 * starts a new one these can never be resumed (see docs/protocol.md, session:start).
 */
export async function findOtherOpenSessionsOfDevice(
  db: Db,
  device: { patientId: string; deviceId: string },
  exceptId: string,
) {
  return (
    db
      .selectFrom('sessions')
      .selectAll()
      // The patient's index narrows it down; a device belongs to one patient.
      .where('patient_id', '=', device.patientId)
      .where('device_id', '=', device.deviceId)
      .where('ended_at', 'is', null)
      .where('id', '!=', exceptId)
      .execute()
  );
}

/**
 * When a session was last known to be played: the end of its newest stored trial, else its
 * start. An abandoned session ends then, not when the server noticed, so its duration stays true.
 */
export async function lastActivityAt(db: Db, session: Pick<SessionRow, 'id' | 'started_at'>) {
  const newest = await db
    .selectFrom('trials')
    .select('result_json')
    .where('session_id', '=', session.id)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (newest === undefined) return session.started_at;
  const endedAt = (JSON.parse(newest.result_json) as { endedAt?: unknown }).endedAt;
  const parsed = typeof endedAt === 'string' ? Date.parse(endedAt) : NaN;
  return Number.isNaN(parsed) || parsed < Date.parse(session.started_at)
    ? session.started_at
    : new Date(parsed).toISOString();
}
