import type { ProgressHistory, Trial, TrialResult } from '../../shared/protocol';
import { sql } from 'kysely';
import { durably, type Db } from '../storage/database';
import type { SessionTable } from '../storage/schema';
import {
  countTrials,
  findTrialOwner,
  insertTrialOnce,
  listTrialResults,
  pageFullTrialsJson,
  storedTrialResult,
} from './trial-repository';
import { loadProgressHistory } from './progress-history';

export type SessionRow = SessionTable;

type SessionStart = Pick<
  SessionTable,
  'id' | 'patient_id' | 'device_id' | 'mode' | 'started_at' | 'calibration_json'
> &
  Partial<Pick<SessionTable, 'world'>>;

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
  /**
   * The newest `perPatient` sessions of each of the therapist's patients (by patient, newest
   * first) with their trial results: two queries, however many patients.
   */
  listRecentOfTherapist(
    therapistId: string,
    perPatient: number,
  ): Promise<{ sessions: SessionRow[]; trials: TrialResult[] }>;
  /** How many sessions each of the therapist's patients started since then (absent: none). */
  countSinceByPatient(therapistId: string, since: string): Promise<Map<string, number>>;
  saveOpenCalibration(id: string, calibrationJson: string): Promise<void>;
  findOtherOpenOfDevice(
    device: { patientId: string; deviceId: string },
    exceptId: string,
  ): Promise<SessionRow[]>;
  /** The device's sessions not ended yet (normally at most one). */
  findOpenOfDevice(device: { patientId: string; deviceId: string }): Promise<SessionRow[]>;
  lastActivityAt(session: Pick<SessionRow, 'id' | 'started_at'>): Promise<string>;
  /** Durable; whether this call stored the trial (false: its id was stored already). */
  insertTrialOnce(patientId: string, trial: Trial): Promise<boolean>;
  findTrialOwner(trialId: string): Promise<{ patient_id: string; session_id: string } | undefined>;
  countTrials(sessionId: string): Promise<number>;
  /** Trial results (no samples) of these sessions, each session's in trial order. */
  listTrialResults(sessionIds: string[]): Promise<TrialResult[]>;
  pageFullTrialsJson(sessionId: string, offset: number, limit: number): Promise<string[]>;
  /** The patient's completed sessions, for the headset's end-of-session scene. */
  progressHistory(patientId: string): Promise<ProgressHistory>;
}

export function kyselySessionRepository(db: Db): SessionRepository {
  return {
    start: (row) => durably(db, (tx) => upsertSessionStart(tx, row)),
    find: (id) => findSession(db, id),
    end: (id, endedAt, reason) => durably(db, (tx) => endSession(tx, id, endedAt, reason)),
    saveState: (id, stateJson) => saveSessionState(db, id, stateJson),
    findOpen: (patientId) => findOpenSession(db, patientId),
    list: (patientId, limit) => listSessions(db, patientId, limit),
    listRecentOfTherapist: (therapistId, perPatient) =>
      listRecentOfTherapist(db, therapistId, perPatient),
    countSinceByPatient: (therapistId, since) => countSinceByPatient(db, therapistId, since),
    saveOpenCalibration: (id, json) => saveOpenSessionCalibration(db, id, json),
    findOtherOpenOfDevice: (device, exceptId) => findOpenSessionsOfDevice(db, device, exceptId),
    findOpenOfDevice: (device) => findOpenSessionsOfDevice(db, device, null),
    lastActivityAt: (session) => lastActivityAt(db, session),
    insertTrialOnce: (patientId, trial) =>
      durably(db, (tx) => insertTrialOnce(tx, patientId, trial)),
    findTrialOwner: (trialId) => findTrialOwner(db, trialId),
    countTrials: (sessionId) => countTrials(db, sessionId),
    listTrialResults: (sessionIds) => listTrialResults(db, sessionIds),
    pageFullTrialsJson: (sessionId, offset, limit) =>
      pageFullTrialsJson(db, sessionId, offset, limit),
    progressHistory: (patientId) => loadProgressHistory(db, patientId),
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

/** The therapist's patients' sessions, each ranked by recency within its patient (1: newest). */
function rankedSessionsOfTherapist(db: Db, therapistId: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('patients', 'patients.id', 'sessions.patient_id')
    .where('patients.therapist_id', '=', therapistId)
    .selectAll('sessions')
    .select(
      sql<number>`row_number() over (partition by sessions.patient_id order by sessions.started_at desc)`.as(
        'recency',
      ),
    );
}

export async function listRecentOfTherapist(
  db: Db,
  therapistId: string,
  perPatient: number,
): Promise<{ sessions: SessionRow[]; trials: TrialResult[] }> {
  const recent = db
    .selectFrom(rankedSessionsOfTherapist(db, therapistId).as('ranked'))
    .where('recency', '<=', perPatient);
  const ranked = await recent
    .selectAll()
    .orderBy('patient_id')
    .orderBy('started_at', 'desc')
    .execute();
  const trials = await db
    .selectFrom('trials')
    .select(['result_json', 'assessment'])
    .where('session_id', 'in', recent.select('id'))
    .orderBy('session_id')
    .orderBy('trial_number')
    .orderBy('started_at')
    .execute();
  return {
    sessions: ranked.map(({ recency: _recency, ...row }) => row),
    trials: trials.map(storedTrialResult),
  };
}

export async function countSinceByPatient(
  db: Db,
  therapistId: string,
  since: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('sessions')
    .innerJoin('patients', 'patients.id', 'sessions.patient_id')
    .where('patients.therapist_id', '=', therapistId)
    .where('sessions.started_at', '>=', since)
    .select(['sessions.patient_id', (eb) => eb.fn.countAll<number | string>().as('count')])
    .groupBy('sessions.patient_id')
    .execute();
  return new Map(rows.map((r) => [r.patient_id, Number(r.count)]));
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
 * The device's sessions still open, but `exceptId`. A device plays one session at a time, so once
 * it starts a new one the others can never be resumed (see docs/protocol.md, session:start).
 */
export async function findOpenSessionsOfDevice(
  db: Db,
  device: { patientId: string; deviceId: string },
  exceptId: string | null,
) {
  const open = db
    .selectFrom('sessions')
    .selectAll()
    // The patient's index narrows it down; a device belongs to one patient.
    .where('patient_id', '=', device.patientId)
    .where('device_id', '=', device.deviceId)
    .where('ended_at', 'is', null);
  return (exceptId === null ? open : open.where('id', '!=', exceptId)).execute();
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
