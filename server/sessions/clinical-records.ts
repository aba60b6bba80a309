import type {
  BaselineFlagRecord,
  SessionExportRecord,
  SessionExportRow,
  TrialRecord,
} from '../../shared/clinical';
import { sessionArmRows } from '../../shared/clinical';
import type { TrialResult } from '../../shared/protocol';
import type { SessionRow } from './repository';

/**
 * Maps a stored trial to the clinical core's export record (pseudonymous code, never a name), with
 * what the live check stored about it against the patient's baseline, when given.
 */
export function toTrialRecord(
  trial: TrialResult,
  patientCode: string,
  baselineFlags: BaselineFlagRecord | null = null,
): TrialRecord {
  return {
    sessionId: trial.sessionId,
    patientCode,
    arm: trial.arm,
    trialNumber: trial.trialNumber,
    task: trial.task,
    set: trial.set,
    levelBefore: trial.levelBefore,
    levelAfter: trial.levelAfter,
    params: trial.params,
    target: trial.target,
    outcome: trial.outcome,
    tContact: trial.tContact,
    metrics: trial.metrics,
    flags: trial.metrics.flags,
    reason: trial.reason,
    startedAt: trial.startedAt,
    endedAt: trial.endedAt,
    inputMode: trial.inputMode,
    graspPhases: trial.graspPhases ?? null,
    assessment: trial.assessment === true,
    baselineFlags,
  };
}

export interface Practitioner {
  id: string;
  username: string;
}

export function toClinicalSession(
  row: SessionRow,
  trials: readonly TrialResult[],
  patientCode: string,
  affectedArm: 'left' | 'right',
  practitioner: Practitioner,
): SessionExportRecord {
  const arms = new Set(trials.map((t) => t.arm));
  const arm = arms.size > 1 ? 'alternate' : (trials[0]?.arm ?? affectedArm);
  return {
    sessionId: row.id,
    patientCode,
    arm,
    startedAt: row.started_at,
    // A session not ended yet has no end: inventing one would pass a guess for a record.
    endedAt: row.ended_at,
    endReason: row.end_reason,
    practitionerId: practitioner.id,
    practitionerName: practitioner.username,
    affectedArm,
    world: row.world,
  };
}

/** The session's rows of sessions.csv: one per arm played, each with its own summary. */
export function toClinicalSessionRows(
  session: SessionExportRecord,
  trials: readonly TrialRecord[],
): SessionExportRow[] {
  return sessionArmRows(session, trials);
}
