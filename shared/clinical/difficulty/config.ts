import { z } from 'zod';

const finite = z.number().finite();
const range = z.object({ easy: finite, hard: finite }).strict();

/**
 * Therapist-facing configuration of the weighted up-down rule. The target is limited to 0.65-0.85
 * because outside it patients either stall (too many misses) or stop being challenged.
 */
export const difficultyConfigSchema = z
  .object({
    targetSuccess: finite.min(0.65).max(0.85),
    gain: finite.positive(),
    minLevel: finite.min(0).max(100),
    maxLevel: finite.min(0).max(100),
    distance: range.refine((r) => r.easy > 0 && r.hard > 0, 'distance fractions must be > 0'),
    radius: range.refine((r) => r.easy > 0 && r.hard > 0, 'radii must be > 0 (geometric mapping)'),
    timeLimit: range.refine(
      (r) => r.easy > 0 && r.hard > 0,
      'time limits must be > 0 (geometric mapping)',
    ),
    spread: range.refine((r) => r.easy >= 0 && r.hard >= 0, 'spread angles must be >= 0'),
  })
  .strict()
  .refine((c) => c.minLevel <= c.maxLevel, {
    message: 'minLevel must not exceed maxLevel',
    path: ['maxLevel'],
  });

export type DifficultyRange = { easy: number; hard: number };
export type DifficultyConfig = {
  targetSuccess: number;
  gain: number;
  minLevel: number;
  maxLevel: number;
  distance: DifficultyRange;
  radius: DifficultyRange;
  timeLimit: DifficultyRange;
  spread: DifficultyRange;
};

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

// Validation costs microseconds; the headset calls update once per trial, the simulation in the
// tests 10^5 times, so the last validated object is remembered.
let lastInput: DifficultyConfigInput | undefined;
let lastResolved: DifficultyConfig = DEFAULT_DIFFICULTY;

/** Merges overrides onto the defaults and validates; throws DifficultyConfigError if invalid. */
export function resolveDifficultyConfig(input?: DifficultyConfigInput): DifficultyConfig {
  if (input === undefined) return DEFAULT_DIFFICULTY;
  if (input === lastInput) return lastResolved;
  const d = DEFAULT_DIFFICULTY;
  const merged = {
    ...d,
    ...input,
    distance: { ...d.distance, ...input.distance },
    radius: { ...d.radius, ...input.radius },
    timeLimit: { ...d.timeLimit, ...input.timeLimit },
    spread: { ...d.spread, ...input.spread },
  };
  const parsed = difficultyConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'config'}: ${i.message}`)
      .join('; ');
    throw new DifficultyConfigError(`Invalid difficulty configuration: ${problems}`);
  }
  lastInput = input;
  lastResolved = parsed.data;
  return parsed.data;
}
