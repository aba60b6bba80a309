import type { Workspace } from '../../protocol';
import type { Arm, Task, TrialOutcome, Vec3 } from '../types';
import { isSectorId, sectorOf, type SectorId } from './sectors';

/** The measures compared against the patient's own baseline, as stored on a trial (SI units). */
export const BASELINE_MEASURES = [
  'movementTime',
  'reactionTime',
  'peakSpeed',
  'sparc',
  'pathRatio',
  'trunkRatioPct',
] as const;
export type BaselineMeasure = (typeof BASELINE_MEASURES)[number];
export type TrialMeasures = Partial<Record<BaselineMeasure, number | null>>;

/** One trial as the personal core reads it: what a stored trial holds, plus its sector. */
export interface PersonalTrial {
  sessionId: string;
  task: Task;
  arm: Arm;
  /** Sector of the target in the arm's frame; null when unknown (the trial is then not mapped). */
  sector: SectorId | null;
  outcome: TrialOutcome;
  /** A trial of the standard reach test. */
  assessment?: boolean;
  metrics: TrialMeasures;
}

/** A stored trial's fields the personal core needs (a `TrialResult` fits). */
export interface StoredTrialFields {
  sessionId: string;
  task: Task;
  arm: Arm;
  target: Vec3;
  outcome: TrialOutcome;
  metrics: TrialMeasures;
  assessment?: boolean;
}

/**
 * A stored trial read for the personal core: its sector from the target and the arm's workspace
 * (the patient's calibration; null without one, and then the trial has no sector).
 */
export function personalTrial(
  trial: StoredTrialFields,
  ws: Workspace | null | undefined,
): PersonalTrial {
  const sector = ws ? sectorOf(ws, trial.target) : null;
  return {
    sessionId: trial.sessionId,
    task: trial.task,
    arm: trial.arm,
    sector: isSectorId(sector) ? sector : null,
    outcome: trial.outcome,
    assessment: trial.assessment === true,
    metrics: trial.metrics,
  };
}

/** A measure's value when it is a finite number, else null (NaN, Infinity, missing). */
export function measureValue(metrics: TrialMeasures, measure: BaselineMeasure): number | null {
  const v = metrics[measure];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
