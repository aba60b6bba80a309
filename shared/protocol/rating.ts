import { z } from 'zod';
import { effortSchema, painSchema } from '../clinical/ratings';
import { armSchema, isoTimeSchema, uuidSchema } from './primitives';

/**
 * Most sets one session may hold: the plan's 20 tasks of 20 sets each. `setIndex` counts the
 * session's sets from 0 in plan order, so a set's rating has one place whatever the arm.
 */
export const MAX_SETS_PER_SESSION = 400;

/**
 * The patient's answer to the set-end prompt, made on the headset and sent through its outbox
 * (`rating:submit`). Effort (Borg CR10) and pain (0-10) are each optional; both absent is a skip.
 * `painPauseAt` is the threshold the headset applied, so the record says whether it paused.
 */
export const setRatingSchema = z
  .object({
    sessionId: uuidSchema,
    setIndex: z
      .number()
      .int()
      .min(0)
      .max(MAX_SETS_PER_SESSION - 1),
    arm: armSchema,
    effort: effortSchema.nullable(),
    pain: painSchema.nullable(),
    skipped: z.boolean(),
    painPauseAt: z.number().int().min(1).max(10),
    ratedAt: isoTimeSchema,
  })
  .strict()
  .refine(
    (r) => r.skipped === (r.effort === null && r.pain === null),
    'skipped must be true exactly when neither effort nor pain is given',
  );
export type SetRatingRecord = z.infer<typeof setRatingSchema>;

/** A stored rating as the dashboard reads it: with its session's start, for charts across sessions. */
export const storedSetRatingSchema = z.object({
  sessionId: uuidSchema,
  setIndex: z.number().int().min(0),
  arm: armSchema,
  effort: z.number().nullable(),
  pain: z.number().nullable(),
  skipped: z.boolean(),
  painPauseAt: z.number().int(),
  ratedAt: isoTimeSchema,
  sessionStartedAt: isoTimeSchema,
});
export type StoredSetRating = z.infer<typeof storedSetRatingSchema>;
