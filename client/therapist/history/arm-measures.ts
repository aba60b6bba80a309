import { z } from 'zod';
import {
  asymmetryIndex,
  METRIC_BETTER,
  otherArm,
  type Arm,
  type Asymmetry,
  type ReachMetricKey,
} from '../../../shared/clinical';
import type { SessionArmSummary, SessionRecord } from '../../../shared/protocol/http';
import type { SessionPoint } from './progress-chart-data';

/** The part of the clinical core's SessionSummary the dashboard reads; anything else is ignored. */
const clinicalSummarySchema = z.object({
  metrics: z.record(
    z.string(),
    z.object({
      mean: z.number().nullable(),
      sd: z.number().nullable().optional(),
      n: z.number().optional(),
    }),
  ),
});

export type ArmMeasure = 'successRate' | 'level' | 'movementTime' | 'pathRatio' | 'sparc';

/** One arm's part of a session; null when that arm did not play (or an old server sent none). */
export const armPart = (session: SessionRecord, arm: Arm): SessionArmSummary | null =>
  session.arms?.[arm] ?? null;

/** The mean of one metric over an arm's valid trials in the session; null when unknown. */
export function armMetricMean(
  session: SessionRecord,
  arm: Arm,
  key: ReachMetricKey,
): number | null {
  const parsed = clinicalSummarySchema.safeParse(armPart(session, arm)?.clinical);
  const mean = parsed.success ? parsed.data.metrics[key]?.mean : null;
  return mean !== null && mean !== undefined && Number.isFinite(mean) ? mean : null;
}

export function armMeasure(session: SessionRecord, arm: Arm, measure: ArmMeasure): number | null {
  const part = armPart(session, arm);
  if (part === null) return null;
  switch (measure) {
    case 'successRate':
      return part.successRate === null ? null : part.successRate * 100;
    case 'level':
      return part.levelEnd;
    default:
      return armMetricMean(session, arm, measure);
  }
}

export const armPoints = (
  sessions: readonly SessionRecord[],
  arm: Arm,
  measure: ArmMeasure,
): SessionPoint[] =>
  sessions.map((s) => ({ startedAt: s.startedAt, value: armMeasure(s, arm, measure) }));

/** Both arms played in the session. */
export const playedBothArms = (session: SessionRecord): boolean =>
  armPart(session, 'left') !== null && armPart(session, 'right') !== null;

/**
 * The asymmetry index of one measure in a session (affected arm against the other, see
 * docs/clinical-core.md); 'not available' reasons instead of numbers where there is none.
 */
export function sessionAsymmetry(
  session: SessionRecord,
  affectedArm: Arm,
  key: ReachMetricKey,
): Asymmetry {
  if (!playedBothArms(session)) return { value: null, reason: 'missing' };
  return asymmetryIndex(
    armMetricMean(session, affectedArm, key),
    armMetricMean(session, otherArm(affectedArm), key),
    METRIC_BETTER[key],
  );
}

/** The text of an asymmetry index: signed percent, or why there is none. Never "NaN". */
export function asymmetryText(a: Asymmetry): string {
  if (a.value !== null) {
    const rounded = Math.round(a.value);
    return `${rounded > 0 ? '+' : ''}${rounded === 0 ? 0 : rounded} %`;
  }
  return 'not available';
}

const ASYMMETRY_REASON: Record<'missing' | 'zero' | 'no_direction', string> = {
  missing: 'a value is missing for one arm',
  zero: 'both values are zero',
  no_direction: 'this measure has no better direction',
};

/** Why an index is not available, for a tooltip; undefined when it is. */
export const asymmetryWhyNot = (a: Asymmetry): string | undefined =>
  a.value === null ? `Not available: ${ASYMMETRY_REASON[a.reason]}` : undefined;

/** A series name a therapist reads at a glance: "Right arm (affected)". */
export const armLabel = (arm: Arm, affectedArm: Arm): string =>
  `${arm === 'left' ? 'Left' : 'Right'} arm${arm === affectedArm ? ' (affected)' : ''}`;

/** Fixed colours per arm on every chart, so a glance across charts finds the same arm. */
export const ARM_COLOURS: Record<Arm, string> = { left: '#2f6f9f', right: '#c0632b' };
