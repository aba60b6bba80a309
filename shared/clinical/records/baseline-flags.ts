import type { BaselineMeasure } from '../personal/trial';

/**
 * What the server found about a trial against the patient's own baseline, as stored (the live
 * check's `TrialFlags`, table trial_flags): each flagged measure with its modified z-score and
 * explanation, and the session's fatigue report when it was found with this trial.
 */
export type BaselineFlagRecord = {
  flags: readonly { measure: BaselineMeasure; modifiedZ: number; text: string }[];
  fatigue?: string;
};

/** The measures' names in the codes: stable, whatever the core calls them. */
const MEASURE_CODE: Record<BaselineMeasure, string> = {
  movementTime: 'movement_time',
  reactionTime: 'reaction_time',
  peakSpeed: 'peak_speed',
  sparc: 'sparc',
  pathRatio: 'path_ratio',
  trunkRatioPct: 'trunk_ratio',
};

/** `fatigue`: the session's fatigue was found with this trial (once per session). */
export const FATIGUE_FLAG_CODE = 'fatigue';

/**
 * Every code of trials.csv's `baseline_flags` (docs/clinical-core.md): `<measure>_high` or
 * `<measure>_low` (the value above or below the patient's usual range: a direction, not a
 * judgement; a high SPARC is smoother), then `fatigue`.
 */
export const BASELINE_FLAG_CODES: readonly string[] = Object.freeze([
  ...Object.values(MEASURE_CODE).flatMap((m) => [`${m}_high`, `${m}_low`]),
  FATIGUE_FLAG_CODE,
]);

/** One code of a stored flag, with the explanation the therapist saw. */
export type BaselineFlagCode = { code: string; text: string };

/** The trial's codes in the order they were found (measures, then fatigue); none when unflagged. */
export function baselineFlagCodes(
  record: BaselineFlagRecord | null | undefined,
): BaselineFlagCode[] {
  if (record === null || record === undefined) return [];
  const codes = record.flags.map((f) => ({
    code: `${MEASURE_CODE[f.measure]}_${f.modifiedZ > 0 ? 'high' : 'low'}`,
    text: f.text,
  }));
  if (record.fatigue !== undefined) codes.push({ code: FATIGUE_FLAG_CODE, text: record.fatigue });
  return codes;
}
