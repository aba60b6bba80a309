import type { ReachMetrics } from '../clinical';
import type { Posture } from '../protocol';

export type TrunkCueRule = {
  /** Forward head travel during the reach (m) above which the patient is leaning in to reach. */
  thresholdM: number;
  /** What the patient is told, in the words of their posture. */
  message: string;
};

/**
 * Trunk compensation (Levin et al. 2002) is forward head travel from the head's position at
 * movement onset. Seated, that position is the chair back: a reach within arm's length moves the
 * head a few centimetres at most, so 5 cm means leaning in. Standing, there is no backrest: the
 * head sways 1-3 cm on its own and reaching near the edge of the workspace brings the hips and
 * ankles in, so only 8 cm reads as leaning, and the advice cannot mention a chair.
 */
export const TRUNK_CUE: Readonly<Record<Posture, TrunkCueRule>> = Object.freeze({
  seated: { thresholdM: 0.05, message: 'Try to keep your back against the chair.' },
  standing: {
    thresholdM: 0.08,
    message: 'Try to keep your hips and shoulders still and let your arm do the reaching.',
  },
});

/** Whether a reach leaned in for the posture; never from a trunk measure that is null (no head). */
export function isTrunkCompensation(
  metrics: Pick<ReachMetrics, 'trunkForward'>,
  posture: Posture,
): boolean {
  return metrics.trunkForward !== null && metrics.trunkForward > TRUNK_CUE[posture].thresholdM;
}
