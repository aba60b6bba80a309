import { z } from 'zod';
import type { DifficultyParams } from '../difficulty/params';
import type { ReachMetrics } from '../kinematics/metrics';
import type { Asymmetry } from '../arms';
import type { ReachMetricKey } from '../kinematics/metrics';
import type { SessionSummary } from '../summary';
import type { BaselineFlagRecord } from './baseline-flags';
import { finite, type Arm, type Task, type TrialOutcome, type Vec3 } from '../types';

/** One trial as the exports need it; the server maps its rows to this. */
export type TrialRecord = {
  sessionId: string;
  /** Pseudonymous patient code, never a name. */
  patientCode: string;
  arm: Arm;
  /** 1-based within the session. */
  trialNumber: number;
  task: Task;
  /** 1-based set within the plan entry, when known. */
  set?: number | null;
  levelBefore: number;
  levelAfter: number;
  /** Task parameters in force during the trial. */
  params: DifficultyParams;
  /** Target centre, metres, world frame. */
  target: Vec3;
  outcome: TrialOutcome;
  /** Seconds from target appearance to first contact; null if never reached. */
  tContact: number | null;
  /** Null when no movement was recorded. */
  metrics: ReachMetrics | null;
  /** Flags beyond those in metrics (e.g. from the headset); merged in the exports. */
  flags?: readonly string[];
  /** The difficulty rule's explanation of this trial. */
  reason: string;
  /** ISO 8601 with offset. */
  startedAt: string;
  endedAt: string;
  /** What the patient moved with; null/absent for records made before it was kept. */
  inputMode?: 'controllers' | 'hands' | null;
  /** Grasp trials: seconds of each phase (null = did not happen), see docs/clinical-core.md. */
  graspPhases?: GraspPhaseTimes | null;
  /** A trial of the standard reach test (fixed, not adapted); absent = false. */
  assessment?: boolean;
  /** What the server found against the patient's own baseline; null/absent: nothing flagged. */
  baselineFlags?: BaselineFlagRecord | null;
};

const phaseSeconds = finite.min(0).max(600).nullable();

/**
 * The phases of a grasp-and-place trial (docs/clinical-core.md): reach to the object, acquire it,
 * transport it to the goal, release it there; null where a phase did not happen.
 */
export const graspPhasesSchema = z.object({
  reachS: phaseSeconds,
  acquireS: phaseSeconds,
  transportS: phaseSeconds,
  releaseS: phaseSeconds,
  drops: z.number().int().min(0).max(10_000),
});
export type GraspPhaseTimes = z.infer<typeof graspPhasesSchema>;

export type SessionExportRecord = {
  sessionId: string;
  patientCode: string;
  /** Arm trained; 'alternate' when both arms alternated. */
  arm: Arm | 'alternate';
  /** ISO 8601 with offset. */
  startedAt: string;
  /** Null while the session has not ended (it is running, or its headset has not come back). */
  endedAt: string | null;
  /** Why it ended (`plan_complete`, `time_up`, `patient`, `therapist`, `abandoned`); null with endedAt. */
  endReason: string | null;
  /** Supervising therapist (FHIR performer). */
  practitionerId: string;
  practitionerName?: string;
  /** The patient's affected arm: whose measures the asymmetry index compares with the other's. */
  affectedArm?: Arm;
  /** The world the session was played in; null or absent when not known. */
  world?: string | null;
};

/**
 * One arm of a session with that arm's summary (from summarizeSession), one row of sessions.csv
 * (see sessionArmRows): `arm` is the arm the row describes.
 */
export type SessionExportRow = SessionExportRecord & {
  summary: SessionSummary;
  /** Whether `arm` is the affected arm; null when the affected arm is not known. */
  armRole?: 'affected' | 'less_affected' | null;
  /** On the affected arm's row of a session that played both arms; null or absent otherwise. */
  asymmetry?: Record<ReachMetricKey, Asymmetry> | null;
};
