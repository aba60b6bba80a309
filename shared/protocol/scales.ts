import { z } from 'zod';
import { SCALE_KEYS, scaleInfo, type ScaleInfo, type ScaleKey } from '../clinical/scales';
import { armSchema, idSchema, isoTimeSchema } from './primitives';

/**
 * Bodies and answers of the clinical scales API (docs/architecture.md): a therapist records a
 * score measured by hand, with its date. Ranges come from the clinical core's SCALES table, so the
 * dashboard's form and the server refuse the same values with the same message.
 */

const DAY_MS = 86_400_000;

/** A calendar date, YYYY-MM-DD, that exists, from 1900 and at most one day ahead (time zones). */
export const measuredOnSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'the date must be written YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'no such date')
  .refine((d) => d >= '1900-01-01', 'the date is too far in the past')
  .refine(
    (d) => Date.parse(`${d}T00:00:00Z`) <= Date.now() + DAY_MS,
    'the date of the assessment cannot be in the future',
  );

const scoreSchema = (info: ScaleInfo) => {
  const range = `${info.short} must be a whole number from ${info.min} to ${info.max} ${info.unit}`;
  return z.number(range).finite(range).int(range).min(info.min, range).max(info.max, range);
};

const noteSchema = z.string().trim().max(500, 'the note must be at most 500 characters');

const entryFor = <K extends ScaleKey>(key: K) =>
  z
    .object({
      scale: z.literal(key),
      arm: armSchema,
      value: scoreSchema(scaleInfo(key)),
      measuredOn: measuredOnSchema,
      note: noteSchema.default(''),
    })
    .strict();

/** A new score: which scale, for which arm, the value within the scale's range, the date. */
export const scaleEntryInputSchema = z.discriminatedUnion(
  'scale',
  [entryFor('fugl_meyer_ue'), entryFor('arat'), entryFor('box_and_block')],
  { error: `the scale must be one of ${SCALE_KEYS.join(', ')}` },
);
export type ScaleEntryInput = z.input<typeof scaleEntryInputSchema>;

/**
 * A correction of a score: any of arm, value, date and note (the scale itself is not changed:
 * delete the entry and record the right scale). The server checks the result as a new entry.
 */
export const scaleEntryCorrectionSchema = z
  .object({
    arm: armSchema,
    value: z.number().finite(),
    measuredOn: measuredOnSchema,
    note: noteSchema,
  })
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'nothing to correct');
export type ScaleEntryCorrection = z.infer<typeof scaleEntryCorrectionSchema>;

export const scaleEntrySchema = z.object({
  id: idSchema,
  scale: z.enum(SCALE_KEYS),
  arm: armSchema,
  value: z.number().finite(),
  measuredOn: z.string(),
  note: z.string(),
  recordedBy: z.string(),
  recordedAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
});
export const scaleListSchema = z.object({ entries: z.array(scaleEntrySchema) });
