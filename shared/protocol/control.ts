import { z } from 'zod';
import { armSchema, finite, taskSchema } from './primitives';

const range = (min: number, max: number) =>
  z.object({ easy: finite.min(min).max(max), hard: finite.min(min).max(max) });

/**
 * Clinical limits a therapist's change must respect, whatever the UI allowed. A distance fraction
 * above 1 would put targets beyond the patient's calibrated reach.
 */
export const CLINICAL_LIMITS = {
  targetSuccess: { min: 0.65, max: 0.85 },
  gain: { min: 1, max: 20 },
  level: { min: 0, max: 100 },
  distanceFraction: { min: 0.2, max: 1 },
  targetRadius: { min: 0.01, max: 0.15 },
  timeLimit: { min: 0.5, max: 30 },
  spreadDeg: { min: 0, max: 160 },
} as const;

const L = CLINICAL_LIMITS;

/** Partial changes to the difficulty configuration; the headset merges them into its own. */
export const difficultyChangeSchema = z
  .object({
    targetSuccess: finite.min(L.targetSuccess.min).max(L.targetSuccess.max),
    gain: finite.min(L.gain.min).max(L.gain.max),
    minLevel: finite.min(L.level.min).max(L.level.max),
    maxLevel: finite.min(L.level.min).max(L.level.max),
    level: finite.min(L.level.min).max(L.level.max),
    distance: range(L.distanceFraction.min, L.distanceFraction.max),
    radius: range(L.targetRadius.min, L.targetRadius.max),
    timeLimit: range(L.timeLimit.min, L.timeLimit.max),
    spread: range(L.spreadDeg.min, L.spreadDeg.max),
  })
  .partial()
  .strict()
  .refine(
    (c) => c.minLevel === undefined || c.maxLevel === undefined || c.minLevel <= c.maxLevel,
    'minLevel must not exceed maxLevel',
  );
export type DifficultyChange = z.infer<typeof difficultyChangeSchema>;

export const controlCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
  z.object({ type: z.literal('end') }),
  z.object({ type: z.literal('recenter') }),
  z.object({ type: z.literal('setTask'), task: taskSchema }),
  z.object({ type: z.literal('setArm'), arm: armSchema }),
  z.object({ type: z.literal('setDifficulty'), change: difficultyChangeSchema }),
]);
export type ControlCommand = z.infer<typeof controlCommandSchema>;

/** How long the server waits for the headset to confirm a command before telling the therapist. */
export const CONTROL_ACK_TIMEOUT_MS = 3000;
