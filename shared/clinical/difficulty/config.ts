import { z } from 'zod';

/**
 * Clinical limits every difficulty setting must respect, wherever it comes from (the plan, a live
 * change, the dashboard's form): the schemas below are built from them, so nothing can store or
 * send a value outside. A distance fraction above 1 would put targets beyond the patient's
 * calibrated reach; a target success outside 0.65-0.85 makes patients stall or stop being
 * challenged.
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

type Limits = { readonly min: number; readonly max: number };

const within = (limits: Limits, what: string) =>
  z
    .number()
    .finite()
    .min(limits.min, `${what} must be between ${limits.min} and ${limits.max}`)
    .max(limits.max, `${what} must be between ${limits.min} and ${limits.max}`);

const L = CLINICAL_LIMITS;
const rangeSchema = (limits: Limits, what: string) =>
  z.object({ easy: within(limits, what), hard: within(limits, what) }).strict();

/** The fields of a configuration, each bounded by CLINICAL_LIMITS. */
const configFields = {
  targetSuccess: within(L.targetSuccess, 'target success'),
  gain: within(L.gain, 'gain'),
  minLevel: within(L.level, 'the lowest level'),
  maxLevel: within(L.level, 'the highest level'),
  distance: rangeSchema(
    L.distanceFraction,
    'target distance (fraction of the calibrated reach, never beyond it)',
  ),
  radius: rangeSchema(L.targetRadius, 'target radius (m)'),
  timeLimit: rangeSchema(L.timeLimit, 'time allowed (s)'),
  spread: rangeSchema(L.spreadDeg, 'spread (deg)'),
};

const boundsInOrder = (c: { minLevel?: number; maxLevel?: number }) =>
  c.minLevel === undefined || c.maxLevel === undefined || c.minLevel <= c.maxLevel;
const boundsMessage = { message: 'minLevel must not exceed maxLevel', path: ['maxLevel'] };

/** Therapist-facing configuration of the weighted up-down rule, for one arm. */
export const difficultyConfigSchema = z
  .object(configFields)
  .strict()
  .refine(boundsInOrder, boundsMessage);

/** A level of the staircase: 0 = the therapist's easiest settings, 100 = the hardest. */
export const levelSchema = within(L.level, 'level');

/**
 * A therapist's live change, for one arm: any fields (ranges given whole) and optionally the level
 * to jump to. The headset merges it with `mergeDifficulty` into the configuration in force.
 */
export const difficultyChangeSchema = z
  .object({ ...configFields, level: levelSchema })
  .partial()
  .strict()
  .refine(boundsInOrder, boundsMessage);
export type DifficultyChange = z.infer<typeof difficultyChangeSchema>;

export type DifficultyRange = { easy: number; hard: number };
export type DifficultyConfig = z.infer<typeof difficultyConfigSchema>;

/** Partial overrides; ranges may be given whole or per end. */
export type DifficultyConfigInput = Partial<
  Omit<DifficultyConfig, 'distance' | 'radius' | 'timeLimit' | 'spread'>
> & {
  distance?: Partial<DifficultyRange>;
  radius?: Partial<DifficultyRange>;
  timeLimit?: Partial<DifficultyRange>;
  spread?: Partial<DifficultyRange>;
};

export const DEFAULT_DIFFICULTY: Readonly<DifficultyConfig> = Object.freeze({
  targetSuccess: 0.75,
  gain: 8,
  minLevel: 0,
  maxLevel: 100,
  distance: Object.freeze({ easy: 0.4, hard: 0.95 }),
  radius: Object.freeze({ easy: 0.08, hard: 0.02 }),
  timeLimit: Object.freeze({ easy: 6, hard: 1.5 }),
  spread: Object.freeze({ easy: 20, hard: 120 }),
}) as Readonly<DifficultyConfig>;

/** Thrown for a configuration the rule cannot run with; the message names every problem. */
export class DifficultyConfigError extends Error {
  override name = 'DifficultyConfigError';
}

/** Every problem of a zod error, as one line naming each field. */
export function describeConfigProblems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
}

/**
 * The one merge of the difficulty layers (defaults, the plan's arm, a live change): the change's
 * fields replace the base's, a range may change one end. Validated against the schema (and so
 * against CLINICAL_LIMITS); throws DifficultyConfigError naming every problem. A change's `level`
 * is not part of the configuration and is ignored here.
 */
export function mergeDifficulty(
  base: Readonly<DifficultyConfig>,
  change: DifficultyConfigInput & { level?: number },
): DifficultyConfig {
  const { level: _level, ...fields } = change;
  const merged = {
    ...base,
    ...fields,
    distance: { ...base.distance, ...fields.distance },
    radius: { ...base.radius, ...fields.radius },
    timeLimit: { ...base.timeLimit, ...fields.timeLimit },
    spread: { ...base.spread, ...fields.spread },
  };
  const parsed = difficultyConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new DifficultyConfigError(
      `Invalid difficulty configuration: ${describeConfigProblems(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** A level inside the configuration's bounds. */
export function clampLevel(level: number, c: Pick<DifficultyConfig, 'minLevel' | 'maxLevel'>) {
  return level < c.minLevel ? c.minLevel : level > c.maxLevel ? c.maxLevel : level;
}

// Validation costs microseconds; the headset calls update once per trial, the simulation in the
// tests 10^5 times, so the last validated object is remembered.
let lastInput: DifficultyConfigInput | undefined;
let lastResolved: DifficultyConfig = DEFAULT_DIFFICULTY;

/** Overrides merged onto the defaults and validated; throws DifficultyConfigError if invalid. */
export function resolveDifficultyConfig(input?: DifficultyConfigInput): DifficultyConfig {
  if (input === undefined) return DEFAULT_DIFFICULTY;
  if (input === lastInput) return lastResolved;
  const resolved = mergeDifficulty(DEFAULT_DIFFICULTY, input);
  lastInput = input;
  lastResolved = resolved;
  return resolved;
}
