import type { Trial, TrialResult } from '../../shared/protocol';
import { durably, type Db } from '../storage/database';
import type { SessionTable } from '../storage/schema';
import {
  countTrials,
  findTrialOwner,
  insertTrialOnce,
  listTrialResults,
  pageFullTrialsJson,
} from './trial-repository';

export type SessionRow = SessionTable;

type SessionStart = Pick<
  SessionTable,
  'id' | 'patient_id' | 'device_id' | 'mode' | 'started_at' | 'calibration_json'
>;

/**
 * Sessions and their trials. The writes a headset forgets once acknowledged (start, end, trial)
 * are durable: on the disk when they return (see `durably`).
 */
export interface SessionRepository {
  /** Durable; idempotent on the headset-made id: returns the stored row, new or not. */
  start(row: SessionStart): Promise<SessionRow>;
  find(id: string): Promise<SessionRow | undefined>;
  /** Durable; false when the session had already ended (the first end stands). */
  end(id: string, endedAt: string, reason: string): Promise<boolean>;
  saveState(id: string, stateJson: string): Promise<boolean>;
  findOpen(patientId: string): Promise<SessionRow | undefined>;
  /** Newest first; the newest `limit` only when given. */
  list(patientId: string, limit?: number): Promise<SessionRow[]>;
  countSince(patientId: string, since: string): Promise<number>;
  saveOpenCalibration(id: string, calibrationJson: string): Promise<void>;
  findOtherOpenOfDevice(
    device: { patientId: string; deviceId: string },
    exceptId: string,
  ): Promise<SessionRow[]>;
  lastActivityAt(session: Pick<SessionRow, 'id' | 'started_at'>): Promise<string>;
  /** Durable; whether this call stored the trial (false: its id was stored already). */
  insertTrialOnce(patientId: string, trial: Trial): Promise<boolean>;
  findTrialOwner(trialId: string): Promise<{ patient_id: string; session_id: string } | undefined>;
  countTrials(sessionId: string): Promise<number>;
  /** Trial results (no samples) of these sessions, each session's in trial order. */
  listTrialResults(sessionIds: string[]): Promise<TrialResult[]>;
  pageFullTrialsJson(sessionId: string, offset: number, limit: number): Promise<string[]>;
}

export function kyselySessionRepository(db: Db): SessionRepository {
  return {
    start: (row) => durably(db, (tx) => upsertSessionStart(tx, row)),
    find: (id) => findSession(db, id),
    end: (id, endedAt, reason) => durably(db, (tx) => endSession(tx, id, endedAt, reason)),
    saveState: (id, stateJson) => saveSessionState(db, id, stateJson),
    findOpen: (patientId) => findOpenSession(db, patientId),
    list: (patientId, limit) => listSessions(db, patientId, limit),
    countSince: (patientId, since) => countSessionsSince(db, patientId, since),
    saveOpenCalibration: (id, json) => saveOpenSessionCalibration(db, id, json),
    findOtherOpenOfDevice: (device, exceptId) =>
      findOtherOpenSessionsOfDevice(db, device, exceptId),
    lastActivityAt: (session) => lastActivityAt(db, session),
    insertTrialOnce: (patientId, trial) =>
      durably(db, (tx) => insertTrialOnce(tx, patientId, trial)),
    findTrialOwner: (trialId) => findTrialOwner(db, trialId),
    countTrials: (sessionId) => countTrials(db, sessionId),
    listTrialResults: (sessionIds) => listTrialResults(db, sessionIds),
    pageFullTrialsJson: (sessionId, offset, limit) =>
      pageFullTrialsJson(db, sessionId, offset, limit),
  };
}

/** Idempotent on the headset-made id: returns the stored row, new or not. */
export async function upsertSessionStart(db: Db, row: SessionStart): Promise<SessionRow> {
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
