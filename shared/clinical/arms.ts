import type { ReachMetricKey } from './kinematics/metrics';
import { METRIC_KEYS } from './metric-info';
import { summarizeSession, type SessionSummary, type SummaryTrial } from './summary';
import type { Arm } from './types';

/** Each arm's own summary; null for an arm with no trial in the session. */
export type ArmSummaries = { left: SessionSummary | null; right: SessionSummary | null };

export const ARMS: readonly Arm[] = ['left', 'right'];

/**
 * One summary per arm: the arms differ in impairment and in their own difficulty settings, so a
 * pooled mean would describe neither. Trial order is kept within each arm (level start/end).
 */
export function summarizeByArm(trials: readonly (SummaryTrial & { arm: Arm })[]): ArmSummaries {
  const of = (arm: Arm) => {
    const own = trials.filter((t) => t.arm === arm);
    return own.length === 0 ? null : summarizeSession(own);
  };
  return { left: of('left'), right: of('right') };
}

/** The arms that played, left before right. */
export const armsPlayed = (summaries: ArmSummaries): Arm[] =>
  ARMS.filter((arm) => summaries[arm] !== null);

export const otherArm = (arm: Arm): Arm => (arm === 'left' ? 'right' : 'left');

/**
 * Which way is better for each measure, for the sign of the asymmetry index. Null where there is
 * no better direction: a share of time (50 % is ideal), distances set by where targets appear, a
 * signed error, and mean jerk (dimensional, for logs only).
 */
export const METRIC_BETTER: Readonly<Record<ReachMetricKey, 'higher' | 'lower' | null>> = {
  reactionTime: 'lower',
  movementTime: 'lower',
  peakSpeed: 'higher',
  timeToPeakPct: null,
  pathLength: null,
  straightDistance: null,
  pathRatio: 'lower',
  maxPerpDeviation: 'lower',
  speedPeaks: 'lower',
  sparc: 'higher',
  ldlj: 'higher',
  normalizedJerk: 'lower',
  meanJerk: null,
  endpointError: 'lower',
  endpointAlong: null,
  endpointPerp: 'lower',
  minDistanceToTarget: 'lower',
  trunkForward: 'lower',
  trunkMax: 'lower',
  trunkRatioPct: 'lower',
};

/** The index, or why there is none (shown as "not available", never as a number). */
export type Asymmetry =
  { value: number } | { value: null; reason: 'missing' | 'zero' | 'no_direction' };

/**
 * Asymmetry index of one measure, in percent (docs/clinical-core.md, "Asymmetry index"):
 *
 *   AI = 100 * d * (A - L) / (|A| + |L|),   d = +1 if lower is better, -1 if higher is better
 *
 * A = the affected arm's value, L = the less-affected arm's. Positive: the affected arm does
 * worse; 0: both alike; always within [-100, 100], and the absolute values keep it meaningful for
 * negative measures (SPARC, LDLJ). No index when a value is missing or not finite ('missing'),
 * when |A| + |L| = 0 ('zero'), or when the measure has no better direction ('no_direction').
 */
export function asymmetryIndex(
  affected: number | null | undefined,
  lessAffected: number | null | undefined,
  better: 'higher' | 'lower' | null,
): Asymmetry {
  if (better === null) return { value: null, reason: 'no_direction' };
  if (
    affected === null ||
    affected === undefined ||
    lessAffected === null ||
    lessAffected === undefined ||
    !Number.isFinite(affected) ||
    !Number.isFinite(lessAffected)
  ) {
    return { value: null, reason: 'missing' };
  }
  const scale = Math.abs(affected) + Math.abs(lessAffected);
  if (scale === 0) return { value: null, reason: 'zero' };
  const sign = better === 'lower' ? 1 : -1;
  const value = (100 * sign * (affected - lessAffected)) / scale;
  // -0 would print as "-0": symmetric is 0.
  return { value: value === 0 ? 0 : value };
}

/**
 * The asymmetry index of every measure's session mean, affected arm against the other; null
 * unless both arms played in the session.
 */
export function armAsymmetry(
  summaries: ArmSummaries,
  affectedArm: Arm,
): Record<ReachMetricKey, Asymmetry> | null {
  const affected = summaries[affectedArm];
  const lessAffected = summaries[otherArm(affectedArm)];
  if (affected === null || lessAffected === null) return null;
  return Object.fromEntries(
    METRIC_KEYS.map((k) => [
      k,
      asymmetryIndex(affected.metrics[k].mean, lessAffected.metrics[k].mean, METRIC_BETTER[k]),
    ]),
  ) as Record<ReachMetricKey, Asymmetry>;
}
