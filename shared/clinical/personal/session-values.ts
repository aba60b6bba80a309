import { finiteValues, median } from './stats';
import type { Arm } from '../types';
import type { PersonalTrial } from './trial';

/**
 * One session's values of the trend measures drawn from its standard reach test: the share of
 * its assessment trials hit, and the medians of their valid movement times and SPARC. Null where
 * the session had no such trials (the session is then left out of that trend).
 */
export interface AssessmentValues {
  assessmentSuccess: number | null;
  assessmentMovementTime: number | null;
  assessmentSparc: number | null;
}

export function assessmentValues(
  sessionTrials: readonly PersonalTrial[],
  arm: Arm,
): AssessmentValues {
  const trials = sessionTrials.filter((t) => t.assessment === true && t.arm === arm);
  if (trials.length === 0)
    return { assessmentSuccess: null, assessmentMovementTime: null, assessmentSparc: null };
  return {
    assessmentSuccess: trials.filter((t) => t.outcome === 'hit').length / trials.length,
    assessmentMovementTime: median(finiteValues(trials.map((t) => t.metrics.movementTime))),
    assessmentSparc: median(finiteValues(trials.map((t) => t.metrics.sparc))),
  };
}
