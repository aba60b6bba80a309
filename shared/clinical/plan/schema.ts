import { z } from 'zod';
import { DEFAULT_DIFFICULTY, difficultyConfigSchema } from '../difficulty/config';
import type { DifficultyConfig } from '../difficulty/config';

export const taskSchema = z.enum(['touch', 'hold', 'grasp']);
export const planArmSchema = z.enum(['left', 'right', 'alternate']);

export const planTaskSchema = z
  .object({
    /** touch = reach and touch, hold = reach and hold, grasp = reach, grasp and place. */
    task: taskSchema,
    sets: z.number().int().min(1).max(20),
    repetitions: z.number().int().min(1).max(100),
    /** Seconds the target must be held (hold task only). */
    holdSeconds: z.number().finite().min(0.5).max(30).optional(),
  })
  .strict();

export const sessionPlanSchema = z
  .object({
    tasks: z.array(planTaskSchema).min(1).max(20),
    /** Rest between sets (and between tasks), seconds; 0 = no rest step. */
    restSeconds: z.number().finite().min(0).max(600),
    /** Active time after which the session ends, minutes. */
    maxMinutes: z.number().finite().min(1).max(120),
    arm: planArmSchema,
    /** With arm 'alternate': change arm every trial or every set. */
    alternateBy: z.enum(['trial', 'set']).default('trial'),
    /** First arm when alternating. */
    firstArm: z.enum(['left', 'right']).default('right'),
    difficulty: difficultyConfigSchema,
  })
  .strict();

export type PlanTask = z.infer<typeof planTaskSchema>;
export type PlanArm = z.infer<typeof planArmSchema>;
export type SessionPlan = z.infer<typeof sessionPlanSchema>;
/** What a caller may write: defaults (alternateBy, firstArm) filled in by the schema. */
export type SessionPlanInput = z.input<typeof sessionPlanSchema>;

/** A short mixed session: touch warm-up, then hold and grasp-and-place. */
export const DEFAULT_PLAN: SessionPlan = Object.freeze({
  tasks: [
    { task: 'touch', sets: 2, repetitions: 10 },
    { task: 'hold', sets: 1, repetitions: 8, holdSeconds: 2 },
    { task: 'grasp', sets: 1, repetitions: 6 },
  ],
  restSeconds: 30,
  maxMinutes: 20,
  arm: 'right',
  alternateBy: 'trial',
  firstArm: 'right',
  difficulty: structuredClone(DEFAULT_DIFFICULTY) as DifficultyConfig,
}) as SessionPlan;

/** Validates a plan; throws a ZodError naming each problem. */
export function parseSessionPlan(input: unknown): SessionPlan {
  return sessionPlanSchema.parse(input);
}
