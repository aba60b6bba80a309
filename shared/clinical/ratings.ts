import { z } from 'zod';

/**
 * The patient's own voice after each set: perceived effort on the Borg CR10 scale and pain on a
 * 0-10 numeric rating scale, both optional (a patient may skip). Pure rules shared by the headset
 * (the slider), the server (what it accepts) and the exports.
 */

export interface RatingScale {
  min: number;
  max: number;
  /** Smallest difference between two answers. */
  step: number;
  /** Words shown beside some values (Borg's verbal anchors, the NRS's ends). */
  anchors: readonly { value: number; label: string }[];
}

/**
 * Borg CR10 (Borg 1998), 0 to 10 in halves. The anchors are the scale's own words: "0.5 extremely
 * weak" and "10 extremely strong" (the scale's "maximal", beyond 10, is not offered in VR).
 */
export const EFFORT_SCALE: RatingScale = {
  min: 0,
  max: 10,
  step: 0.5,
  anchors: [
    { value: 0, label: 'Nothing at all' },
    { value: 0.5, label: 'Extremely weak' },
    { value: 1, label: 'Very weak' },
    { value: 2, label: 'Weak' },
    { value: 3, label: 'Moderate' },
    { value: 5, label: 'Strong' },
    { value: 7, label: 'Very strong' },
    { value: 10, label: 'Extremely strong' },
  ],
};

/** Pain numeric rating scale (NRS-11): whole numbers, 0 no pain, 10 worst pain imaginable. */
export const PAIN_SCALE: RatingScale = {
  min: 0,
  max: 10,
  step: 1,
  anchors: [
    { value: 0, label: 'No pain' },
    { value: 5, label: 'Moderate pain' },
    { value: 10, label: 'Worst pain imaginable' },
  ],
};

/** Whether `value` is an answer the scale allows (on a step, inside the range). */
export function onScale(value: number, scale: RatingScale): boolean {
  if (!Number.isFinite(value) || value < scale.min || value > scale.max) return false;
  const steps = (value - scale.min) / scale.step;
  return Math.abs(steps - Math.round(steps)) < 1e-9;
}

/**
 * The scale value at `fraction` (0 = min, 1 = max) of the slider's length, snapped to the nearest
 * step; a fraction outside 0..1 (a ray beyond the slider's ends) gives the nearest end.
 */
export function scaleValueAt(fraction: number, scale: RatingScale): number {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const steps = Math.round((f * (scale.max - scale.min)) / scale.step);
  return scale.min + steps * scale.step;
}

/** Where `value` sits along the slider (0..1), the inverse of scaleValueAt for values on the scale. */
export const scaleFraction = (value: number, scale: RatingScale): number =>
  (value - scale.min) / (scale.max - scale.min);

/** The anchor word for `value`: the nearest anchor at or below it. */
export function anchorLabel(value: number, scale: RatingScale): string {
  let label = scale.anchors[0]!.label;
  for (const a of scale.anchors) if (a.value <= value) label = a.label;
  return label;
}

/** Effort on the Borg CR10 scale: 0..10 in steps of 0.5. */
export const effortSchema = z
  .number()
  .refine((v) => onScale(v, EFFORT_SCALE), 'effort must be 0 to 10 in steps of 0.5 (Borg CR10)');
/** Pain on the 0-10 numeric rating scale: whole numbers. */
export const painSchema = z
  .number()
  .refine((v) => onScale(v, PAIN_SCALE), 'pain must be a whole number from 0 to 10');

export const DEFAULT_PAIN_PAUSE_AT = 5;

/** The plan's settings of the set-end rating. */
export const ratingsPlanSchema = z
  .object({
    /** Ask for effort and pain after each set. */
    enabled: z.boolean().default(true),
    /** A pain rating at or above this pauses the session and alerts the therapist. */
    painPauseAt: z.number().int().min(1).max(10).default(DEFAULT_PAIN_PAUSE_AT),
  })
  .strict();
export type RatingsPlan = z.infer<typeof ratingsPlanSchema>;
export const DEFAULT_RATINGS_PLAN: RatingsPlan = Object.freeze({
  enabled: true,
  painPauseAt: DEFAULT_PAIN_PAUSE_AT,
}) as RatingsPlan;

/** Whether a pain answer pauses the session: at or above the therapist's threshold. */
export const painPauses = (pain: number | null, painPauseAt: number): boolean =>
  pain !== null && pain >= painPauseAt;
