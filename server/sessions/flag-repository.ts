import {
  type Arm,
  storedAbnormalAlertSchema,
  trialFlagsSchema,
  type StoredAbnormalAlert,
  type TrialFlags,
  type TrialResult,
} from '../../shared/protocol';
import type { SelectQueryBuilder } from 'kysely';
import type { Db } from '../storage/database';
import type { Database } from '../storage/schema';
import { storedTrialResult } from './trial-repository';

/** A stored flagged trial: its flags as the live check found them on arrival. */
export interface StoredTrialFlags {
  trialId: string;
  flags: TrialFlags;
}

/**
 * Trials found abnormal against the patient's own baseline, and the trial with which a session's
 * fatigue was found (table trial_flags), the abnormal-trial alerts that went out (table
 * abnormal_alerts), plus the read the live check's baseline starts from.
 */
export interface FlagRepository {
  /** Stores the flags of a trial unless that trial's are stored already (the first stands). */
  insertOnce(entry: {
    trialId: string;
    sessionId: string;
    patientId: string;
    flags: TrialFlags;
  }): Promise<void>;
  find(trialId: string): Promise<TrialFlags | undefined>;
  /** The session's flagged trials, in the order they were stored. */
  listOfSession(sessionId: string): Promise<StoredTrialFlags[]>;
  /** Stores an abnormal-trial alert as it went out, with the trial that raised it (once). */
  insertAlert(entry: StoredAbnormalAlert & { sessionId: string; patientId: string }): Promise<void>;
  /** The session's latest abnormal-trial alert, if one went out. */
  latestAlertOfSession(sessionId: string): Promise<StoredAbnormalAlert | undefined>;
  /** Every flagged trial of the patient, in the order stored (the patient export). */
  listOfPatient(patientId: string): Promise<(StoredTrialFlags & { sessionId: string })[]>;
  /** Every abnormal-trial alert of the patient as it went out, oldest first (the patient export). */
  abnormalAlertsOfPatient(
    patientId: string,
  ): Promise<(StoredAbnormalAlert & { sessionId: string })[]>;
  /** Whether the session's fatigue was reported already. */
  fatigueReported(sessionId: string): Promise<boolean>;
  /**
   * The patient's kept alerts (alerts.csv): every abnormal-trial alert as it went out and every
   * session's fatigue report, each with its trial; in no particular order.
   */
  alertsOfPatient(patientId: string): Promise<KeptAlert[]>;
  /**
   * The patient's latest `limit` trial results outside `exceptSessionId`, oldest first, each with
   * the calibration its session ran with (null for sessions recorded before it was kept).
   */
  recentTrialsOfPatient(
    patientId: string,
    exceptSessionId: string,
    limit: number,
  ): Promise<HistoryTrial[]>;
}

/** An alert as kept, with the trial it went out with and that trial's session. */
export interface KeptAlert {
  kind: 'abnormal_trial' | 'fatigue';
  sessionId: string;
  sessionStartedAt: string;
  raisedAt: string;
  arm: Arm;
  trialNumber: number;
  /** Abnormal trial: the flagged trials it stands for; null for fatigue. */
  flaggedTrials: number | null;
  text: string;
}

export interface HistoryTrial {
  result: TrialResult;
  sessionCalibrationJson: string | null;
}

/** Stored JSON read back through the schema: a row that no longer parses is left out. */
function parseFlags(json: string): TrialFlags | undefined {
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    // Not JSON (a torn write, a hand edit): one bad row must not fail a report or a download.
    return undefined;
  }
  const parsed = trialFlagsSchema.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

/** A stored alert read back through the schema: a row that no longer parses is left out. */
function parseAlert(row: {
  trial_id: string;
  trials: number;
  text: string;
  raised_at: string;
}): StoredAbnormalAlert | undefined {
  const parsed = storedAbnormalAlertSchema.safeParse({
    trialId: row.trial_id,
    trials: Number(row.trials),
    text: row.text,
    raisedAt: row.raised_at,
  });
  return parsed.success ? parsed.data : undefined;
}

/** The rows `kept` selects, each with its trial's arm and number and its session's start. */
function withTrialAndSession<
  TB extends keyof Database,
  O extends { trial_id: string; session_id: string },
>(db: Db, kept: SelectQueryBuilder<Database, TB, O>) {
  return db
    .selectFrom(kept.as('kept'))
    .innerJoin('trials', 'trials.id', 'kept.trial_id')
    .innerJoin('sessions', 'sessions.id', 'kept.session_id')
    .selectAll('kept')
    .select(['sessions.started_at', 'trials.arm', 'trials.trial_number']);
}

export function kyselyFlagRepository(db: Db): FlagRepository {
  return {
    async insertOnce({ trialId, sessionId, patientId, flags }) {
      await db
        .insertInto('trial_flags')
        .values({
          trial_id: trialId,
          session_id: sessionId,
          patient_id: patientId,
          fatigue: flags.fatigue === undefined ? 0 : 1,
          flags_json: JSON.stringify(flags),
          stored_at: new Date().toISOString(),
        })
        .onConflict((oc) => oc.column('trial_id').doNothing())
        .execute();
    },
    async find(trialId) {
      const row = await db
        .selectFrom('trial_flags')
        .select('flags_json')
        .where('trial_id', '=', trialId)
        .executeTakeFirst();
      return row === undefined ? undefined : parseFlags(row.flags_json);
    },
    async listOfSession(sessionId) {
      const rows = await db
        .selectFrom('trial_flags')
        .select(['trial_id', 'flags_json'])
        .where('session_id', '=', sessionId)
        .orderBy('stored_at')
        .execute();
      return rows.flatMap((r) => {
        const flags = parseFlags(r.flags_json);
        return flags === undefined ? [] : [{ trialId: r.trial_id, flags }];
      });
    },
    async listOfPatient(patientId) {
      const rows = await db
        .selectFrom('trial_flags')
        .select(['trial_id', 'session_id', 'flags_json'])
        .where('patient_id', '=', patientId)
        .orderBy('stored_at')
        .orderBy('trial_id')
        .execute();
      return rows.flatMap((r) => {
        const flags = parseFlags(r.flags_json);
        return flags === undefined ? [] : [{ trialId: r.trial_id, sessionId: r.session_id, flags }];
      });
    },
    async abnormalAlertsOfPatient(patientId) {
      const rows = await db
        .selectFrom('abnormal_alerts')
        .select(['trial_id', 'session_id', 'trials', 'text', 'raised_at'])
        .where('patient_id', '=', patientId)
        .orderBy('raised_at')
        .orderBy('trial_id')
        .execute();
      return rows.flatMap((r) => {
        const alert = parseAlert(r);
        return alert === undefined ? [] : [{ ...alert, sessionId: r.session_id }];
      });
    },
    async insertAlert({ trialId, sessionId, patientId, trials, text, raisedAt }) {
      await db
        .insertInto('abnormal_alerts')
        .values({
          trial_id: trialId,
          session_id: sessionId,
          patient_id: patientId,
          trials,
          text,
          raised_at: raisedAt,
        })
        .onConflict((oc) => oc.column('trial_id').doNothing())
        .execute();
    },
    async latestAlertOfSession(sessionId) {
      const row = await db
        .selectFrom('abnormal_alerts')
        .select(['trial_id', 'trials', 'text', 'raised_at'])
        .where('session_id', '=', sessionId)
        .orderBy('raised_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? undefined : parseAlert(row);
    },
    async fatigueReported(sessionId) {
      const row = await db
        .selectFrom('trial_flags')
        .select('trial_id')
        .where('session_id', '=', sessionId)
        .where('fatigue', '=', 1)
        .executeTakeFirst();
      return row !== undefined;
    },
    async alertsOfPatient(patientId) {
      const abnormal = await withTrialAndSession(
        db,
        db
          .selectFrom('abnormal_alerts')
          .select(['trial_id', 'session_id', 'raised_at', 'trials', 'text'])
          .where('patient_id', '=', patientId),
      ).execute();
      const fatigue = await withTrialAndSession(
        db,
        db
          .selectFrom('trial_flags')
          .select(['trial_id', 'session_id', 'stored_at', 'flags_json'])
          .where('patient_id', '=', patientId)
          .where('fatigue', '=', 1),
      ).execute();
      return [
        ...abnormal.map((r): KeptAlert => ({
          kind: 'abnormal_trial',
          sessionId: r.session_id,
          sessionStartedAt: r.started_at,
          raisedAt: r.raised_at,
          arm: r.arm as Arm,
          trialNumber: Number(r.trial_number),
          flaggedTrials: Number(r.trials),
          text: r.text,
        })),
        // A row that no longer parses is left out, as everywhere flags are read.
        ...fatigue.flatMap((r): KeptAlert[] => {
          const text = parseFlags(r.flags_json)?.fatigue;
          if (text === undefined) return [];
          return [
            {
              kind: 'fatigue',
              sessionId: r.session_id,
              sessionStartedAt: r.started_at,
              raisedAt: r.stored_at,
              arm: r.arm as Arm,
              trialNumber: Number(r.trial_number),
              flaggedTrials: null,
              text,
            },
          ];
        }),
      ];
    },
    async recentTrialsOfPatient(patientId, exceptSessionId, limit) {
      const rows = await db
        .selectFrom('trials')
        .innerJoin('sessions', 'sessions.id', 'trials.session_id')
        .select(['trials.result_json', 'trials.assessment', 'sessions.calibration_json'])
        .where('trials.patient_id', '=', patientId)
        .where('trials.session_id', '!=', exceptSessionId)
        .orderBy('trials.started_at', 'desc')
        .orderBy('trials.trial_number', 'desc')
        .limit(limit)
        .execute();
      return rows.reverse().map((row) => ({
        result: storedTrialResult(row),
        sessionCalibrationJson: row.calibration_json,
      }));
    },
  };
}
