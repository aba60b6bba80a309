import type { TrialOutcome } from '../types';
import type { DifficultyConfigInput } from './config';
import { clampLevel, resolveDifficultyConfig } from './config';
import type { TrialAttempt } from './outcome';
import { classifyOutcome } from './outcome';
import type { DifficultyParams } from './params';
import { paramsFor } from './params';
import { difficultyReason } from './reason';

export type DifficultyUpdate = {
  /** New level, clamped to the bounds and rounded to 1e-6. */
  level: number;
  hit: boolean;
  /** Parameters for the next trial (at the new level). */
  params: DifficultyParams;
  reason: string;
  outcome: TrialOutcome;
  levelBefore: number;
  /** Parameters that were in force during this trial. */
  paramsBefore: DifficultyParams;
  /** Which bound stopped the step, if any. */
  atBound: 'min' | 'max' | null;
};

export type UpdateOptions = {
  trialNumber?: number;
  /**
   * The trial's task allowed this multiple of the level's time limit (TASK_TIME_SCALE, 2.5 for a
   * grasp): the outcome is judged against the scaled limit. Default 1 (the specification's rule).
   */
  timeScale?: number;
};

/**
 * Weighted up-down (Kaernbach 1991): a hit adds K(1-p*), a miss subtracts K p*, so at equilibrium
 * hits*K(1-p*) = misses*K p*, i.e. success = p*.
 */
export function updateDifficulty(
  level: number,
  outcome: TrialAttempt,
  config?: DifficultyConfigInput,
  options?: UpdateOptions,
): DifficultyUpdate {
  const c = resolveDifficultyConfig(config);
  if (!Number.isFinite(level)) throw new RangeError(`level must be a finite number, got ${level}`);
  const before = clampLevel(level, c);
  const paramsBefore = paramsFor(before, c);
  const timeScale = options?.timeScale ?? 1;
  if (!(Number.isFinite(timeScale) && timeScale > 0))
    throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  const result = classifyOutcome(outcome, paramsBefore.timeLimit * timeScale);
  const hit = result === 'hit';
  const unclamped = before + (hit ? c.gain * (1 - c.targetSuccess) : -c.gain * c.targetSuccess);
  const after = Math.round(clampLevel(unclamped, c) * 1e6) / 1e6;
  const params = paramsFor(after, c);
  const atBound = unclamped > c.maxLevel ? 'max' : unclamped < c.minLevel ? 'min' : null;
  const trialNumber = options?.trialNumber ?? outcome.trialNumber;
  const reason = difficultyReason({
    trialNumber,
    outcome: result,
    tContact: outcome.tContact,
    levelBefore: before,
    levelAfter: after,
    levelUnclamped: unclamped,
    before: paramsBefore,
    after: params,
    config: c,
    timeScale,
  });
  return {
    level: after,
    hit,
    params,
    reason,
    outcome: result,
    levelBefore: before,
    paramsBefore,
    atBound,
  };
}
