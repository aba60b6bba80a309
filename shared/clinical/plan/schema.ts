import { z } from 'zod';
import { DEFAULT_DIFFICULTY, levelSchema } from '../difficulty/config';
import type { DifficultyConfig } from '../difficulty/config';
import { armDifficultySchema, perArm } from '../difficulty/per-arm';
import { armSchema, taskSchema, type Arm } from '../types';
import { DEFAULT_RATINGS_PLAN, ratingsPlanSchema } from '../ratings';
import { placementSettingSchema } from '../personal/placement-setting';

export const planArmSchema = z.enum(['left', 'right', 'alternate']);
/**
 * Where the patient plays: a theme only (what the headset draws and the sounds it plays), never a
 * rule. 'plain' is the bare room; 'choice' lets the patient pick in the in-VR world menu before
 * the session starts (shared/game/world-choice).
 */
export const gameWorldSchema = z.enum(['orchard', 'lantern', 'reef', 'plain', 'choice']);
export type GameWorld = z.infer<typeof gameWorldSchema>;

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
    /**
     * Start with the standard reach test (8 fixed directions per arm, never adapted) before the
     * tasks. Plans stored before it existed read as on, like a new plan.
     */
    assessment: z.boolean().default(true),
    /** Rest between sets (and between tasks), seconds; 0 = no rest step. */
    restSeconds: z.number().finite().min(0).max(600),
    /** Active time after which the session ends, minutes. */
    maxMinutes: z.number().finite().min(1).max(120),
    arm: planArmSchema,
    /** With arm 'alternate': change arm every trial or every set. */
    alternateBy: z.enum(['trial', 'set']).default('trial'),
    /** First arm when alternating. */
    firstArm: armSchema.default('right'),
    /** The staircase's settings and bounds, per arm. */
    difficulty: armDifficultySchema,
    /**
     * Level of an arm's first trial while the patient has no stored level for it (a new patient);
     * afterwards each arm continues from its own last level. Clamped to the arm's bounds.
     */
    startLevel: perArm(levelSchema).default({ left: 50, right: 50 }),
    /** The game world (no clinical meaning); plans stored before worlds existed get the orchard. */
    world: gameWorldSchema.default('orchard'),
    /** Effort and pain asked after each set, and the pain that pauses the session. */
    ratings: ratingsPlanSchema.default(DEFAULT_RATINGS_PLAN),
    /** Where targets go (shared/clinical/personal/placement.ts); plans stored before it: balanced. */
    placement: placementSettingSchema.default({ mode: 'balanced' }),
  })
  .strict();

export type PlanTask = z.infer<typeof planTaskSchema>;
export type PlanArm = z.infer<typeof planArmSchema>;
export type SessionPlan = z.infer<typeof sessionPlanSchema>;
/**
 * What a caller may write: defaults (assessment, alternateBy, firstArm, startLevel, ratings,
 * placement) filled in by the schema.
 */
export type SessionPlanInput = z.input<typeof sessionPlanSchema>;

/** A short mixed session: touch warm-up, then hold and grasp-and-place. */
export const DEFAULT_PLAN: SessionPlan = Object.freeze({
  tasks: [
    { task: 'touch', sets: 2, repetitions: 10 },
    { task: 'hold', sets: 1, repetitions: 8, holdSeconds: 2 },
    { task: 'grasp', sets: 1, repetitions: 6 },
  ],
  assessment: true,
  restSeconds: 30,
  maxMinutes: 20,
  arm: 'right',
  alternateBy: 'trial',
  firstArm: 'right',
  difficulty: {
    left: structuredClone(DEFAULT_DIFFICULTY) as DifficultyConfig,
    right: structuredClone(DEFAULT_DIFFICULTY) as DifficultyConfig,
  },
  startLevel: { left: 50, right: 50 },
  world: 'orchard',
  ratings: { ...DEFAULT_RATINGS_PLAN },
  placement: { mode: 'balanced' },
}) as SessionPlan;

/** Validates a plan; throws a ZodError naming each problem. */
export function parseSessionPlan(input: unknown): SessionPlan {
  return sessionPlanSchema.parse(input);
}

/**
 * A plan as stored (parsed JSON): the plan when the schema takes it, else null. A plan stored
 * under older rules that the schema now refuses reads as none, so the default plan applies. The
 * server reads every stored plan with this alone; the wire then carries only valid plans.
 */
export function readStoredPlan(stored: unknown): SessionPlan | null {
  if (stored === null || stored === undefined) return null;
  const parsed = sessionPlanSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/** The plan a patient plays: their plan, else the default plan for their affected arm. */
export function planInForce(plan: SessionPlan | null, affectedArm: Arm): SessionPlan {
  return plan ?? { ...structuredClone(DEFAULT_PLAN), arm: affectedArm };
}
