import type { TrialOutcome } from '../types';

/** Trials in a row at a difficulty bound before the therapist should reconsider the bounds. */
export const BOUND_TRIALS = 10;

const LEVEL_EPSILON = 1e-6;

export interface BoundAdvice {
  /** The bound the patient sits at (a locked range, minimum = maximum, counts as both). */
  bound: 'min' | 'max' | 'locked';
  /** Success at or above the target: the range holds the patient back; below it: too hard. */
  verdict: 'too_easy' | 'too_hard';
  successRate: number;
  message: string;
}

/**
 * Advice when the last BOUND_TRIALS trials all ended at a difficulty bound. The staircase leaves a
 * bound on its own unless the patient's success pins it there, so the success rate says which way
 * the range is wrong: at the minimum with success at or above the target the range is too easy
 * (raise the minimum: only a range locked at one level, or a minimum the staircase cannot leave
 * yet, keeps a successful patient there); at the minimum with low success even the easiest
 * settings are too hard; at the maximum with high success the hardest settings are too easy; at
 * the maximum with low success the maximum is too hard.
 */
export function difficultyBoundAdvice(
  trials: readonly { levelAfter: number; outcome: TrialOutcome }[],
  bounds: { minLevel: number; maxLevel: number },
  targetSuccess: number,
): BoundAdvice | null {
  if (trials.length < BOUND_TRIALS) return null;
  const recent = trials.slice(-BOUND_TRIALS);
  const atMin = recent.every((t) => t.levelAfter <= bounds.minLevel + LEVEL_EPSILON);
  const atMax = recent.every((t) => t.levelAfter >= bounds.maxLevel - LEVEL_EPSILON);
  if (!atMin && !atMax) return null;
  const successRate = recent.filter((t) => t.outcome === 'hit').length / recent.length;
  const verdict = successRate >= targetSuccess ? 'too_easy' : 'too_hard';
  const bound = atMin && atMax ? 'locked' : atMin ? 'min' : 'max';
  const rate = `${Math.round(successRate * 100)} %`;
  const where =
    bound === 'locked'
      ? `Difficulty locked at ${fmt(bounds.minLevel)}`
      : bound === 'min'
        ? 'At minimum difficulty'
        : 'At maximum difficulty';
  const advice = ADVICE[bound][verdict];
  return {
    bound,
    verdict,
    successRate,
    message: `${where} for ${BOUND_TRIALS} trials, success ${rate}: ${advice}.`,
  };
}

const fmt = (level: number) => String(Math.round(level * 10) / 10);

const ADVICE: Record<BoundAdvice['bound'], Record<BoundAdvice['verdict'], string>> = {
  min: {
    too_easy: 'the range is too easy, consider raising the minimum',
    too_hard: 'the easiest settings are too hard, consider easier settings',
  },
  max: {
    too_easy: 'the hardest settings are too easy, consider harder settings',
    too_hard: 'the maximum is too hard, consider lowering the maximum',
  },
  locked: {
    too_easy: 'too easy, consider raising the level or widening the range',
    too_hard: 'too hard, consider lowering the level or widening the range',
  },
};
