import { z } from 'zod';
import {
  armSchema,
  finite,
  isoTimeSchema,
  trialOutcomeSchema,
  taskSchema,
  uuidSchema,
  vec3Schema,
} from './primitives';
import { difficultyParamsSchema } from '../clinical/difficulty/params';
import { reachMetricsSchema } from '../clinical/kinematics/metrics';
import { graspPhasesSchema } from '../clinical/records/types';

export { graspPhasesSchema, reachMetricsSchema };

/** 90 Hz for 40 s: longer than any trial's window (timeout plus margin). */
export const MAX_SAMPLES_PER_TRIAL = 3600;

/**
 * Most trials one session may hold: the plan's longest session (120 active minutes) at one trial
 * every 2 s, far above what a patient plays. Beyond it a trial is refused with `quota_exceeded`.
 */
export const MAX_TRIALS_PER_SESSION = 3600;

/** Full-rate movement of one trial, kept so metrics can be recomputed later. */
export const trialSamplesSchema = z
  .object({
    fs: finite.min(10).max(240),
    t: z.array(finite).max(MAX_SAMPLES_PER_TRIAL),
    hand: z.array(vec3Schema).max(MAX_SAMPLES_PER_TRIAL),
    otherHand: z.array(vec3Schema).max(MAX_SAMPLES_PER_TRIAL),
    head: z.array(vec3Schema).max(MAX_SAMPLES_PER_TRIAL),
  })
  .refine(
    (s) => s.hand.length === s.t.length && s.head.length === s.t.length,
    'samples: t, hand and head must have the same length',
  );
export type TrialSamples = z.infer<typeof trialSamplesSchema>;

/** One finished trial, made on the headset. `id` is made there too, so uploads are idempotent. */
export const trialSchema = z.object({
  id: uuidSchema,
  sessionId: uuidSchema,
  trialNumber: z.number().int().min(1).max(100_000),
  task: taskSchema,
  arm: armSchema,
  set: z.number().int().min(1).max(100),
  startedAt: isoTimeSchema,
  endedAt: isoTimeSchema,
  levelBefore: finite.min(0).max(100),
  levelAfter: finite.min(0).max(100),
  params: difficultyParamsSchema,
  target: vec3Schema,
  outcome: trialOutcomeSchema,
  tContact: finite.min(0).max(600).nullable(),
  reason: z.string().max(1000),
  /**
   * Why targets now go elsewhere (placement mode switched, or focus moved): on the first trial
   * placed under the change. Optional: most trials have none, older records never.
   */
  placementReason: z.string().max(1000).optional(),
  inputMode: z.enum(['controllers', 'hands']),
  metrics: reachMetricsSchema,
  trunkCompensation: z.boolean(),
  /**
   * A trial of the standard reach test (fixed target, not adapted). Absent reads as false: trials
   * recorded before the test existed, or still waiting in an older headset's outbox.
   */
  assessment: z.boolean().default(false),
  /** Grasp trials only; optional, so records made before it existed stay valid. */
  graspPhases: graspPhasesSchema.optional(),
  samples: trialSamplesSchema,
});
export type Trial = z.infer<typeof trialSchema>;

/** A trial as the therapist's live feed shows it: everything but the raw samples. */
export type TrialResult = Omit<Trial, 'samples'>;
