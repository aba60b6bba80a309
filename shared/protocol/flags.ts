import { z } from 'zod';
import { armSchema, finite, isoTimeSchema, taskSchema, uuidSchema } from './primitives';
import { BASELINE_MEASURES } from '../clinical/personal/trial';
import { TREND_MEASURES, type TrendMeasure } from '../clinical/personal/trend';

/**
 * What the server found about a trial against the patient's own baseline (issue 12, section 3),
 * sent with `live:trial` and, for flagged trials, stored for the session report. For the
 * therapist only: nothing of it goes to the headset.
 */
export const measureFlagSchema = z.object({
  measure: z.enum(BASELINE_MEASURES),
  value: finite,
  /** The comparable trials' median and 10th to 90th percentiles. */
  median: finite,
  low: finite,
  high: finite,
  modifiedZ: finite,
  text: z.string().max(500),
});
export type MeasureFlag = z.infer<typeof measureFlagSchema>;

/** The live view's note that trials were unusual for this patient (at most one a minute). */
export const abnormalAlertSchema = z.object({
  /** The flagged trials it stands for: 1, or more folded since the last alert. */
  trials: z.number().int().min(1),
  text: z.string().max(3000),
});

export const trialFlagsSchema = z.object({
  /** `no_baseline`: under 20 comparable trials; `no_sector`: the target's sector is unknown. */
  state: z.enum(['checked', 'no_baseline', 'no_sector']),
  /** Comparable earlier trials (same task, arm and sector), at most 50. */
  comparable: z.number().int().min(0).max(50),
  flags: z.array(measureFlagSchema).max(BASELINE_MEASURES.length),
  /** One line: the flags' explanations, "within this patient's usual range", or why unchecked. */
  text: z.string().max(3000),
  /** The session's fatigue report, on the one trial with which it was found. */
  fatigue: z.string().max(2000).optional(),
  /**
   * The session's abnormal-trial alert, when this trial raised it (at most one a minute; `trials`
   * counts the flagged trials it stands for).
   */
  alert: abnormalAlertSchema.optional(),
});
export type TrialFlags = z.infer<typeof trialFlagsSchema>;

/**
 * An abnormal-trial alert as stored when it went out: with the trial that raised it (`trialId`)
 * and when (`raisedAt`), so a live view that reloads or reconnects shows the session's latest
 * again, never twice.
 */
export const storedAbnormalAlertSchema = abnormalAlertSchema.extend({
  trialId: uuidSchema,
  raisedAt: isoTimeSchema,
});
export type StoredAbnormalAlert = z.infer<typeof storedAbnormalAlertSchema>;

const trendMeasureSchema = z.enum(Object.keys(TREND_MEASURES) as [TrendMeasure, ...TrendMeasure[]]);

/** `GET /api/sessions/:id/personal`: the session report's flags and recovery projections. */
export const sessionPersonalSchema = z.object({
  /** The session's flagged trials, in trial order. */
  flags: z.array(
    z.object({
      trialId: uuidSchema,
      trialNumber: z.number().int(),
      task: taskSchema,
      arm: armSchema,
      endedAt: isoTimeSchema,
      /** A trial of the standard reach test (fixed target, never adapted), not of the plan. */
      assessment: z.boolean(),
      flags: z.array(measureFlagSchema),
      text: z.string(),
    }),
  ),
  /** The session's fatigue report, or null when none was found. */
  fatigue: z.string().nullable(),
  /** Per arm played in the session, each measure's trend over the sessions up to this one. */
  trends: z.array(
    z.object({
      arm: armSchema,
      measure: trendMeasureSchema,
      state: z.enum(['trend', 'not_enough_data']),
      text: z.string(),
    }),
  ),
});
export type SessionPersonal = z.infer<typeof sessionPersonalSchema>;
