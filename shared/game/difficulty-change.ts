import type { DifficultyConfig } from '../clinical';
import type { DifficultyChange } from '../protocol';

/**
 * Merges a therapist's partial change into the configuration in force. Ranges may change one end;
 * the result is validated again by the clinical core when it is used.
 */
export function applyDifficultyChange(
  config: DifficultyConfig,
  change: DifficultyChange,
): DifficultyConfig {
  return {
    targetSuccess: change.targetSuccess ?? config.targetSuccess,
    gain: change.gain ?? config.gain,
    minLevel: change.minLevel ?? config.minLevel,
    maxLevel: change.maxLevel ?? config.maxLevel,
    distance: { ...config.distance, ...change.distance },
    radius: { ...config.radius, ...change.radius },
    timeLimit: { ...config.timeLimit, ...change.timeLimit },
    spread: { ...config.spread, ...change.spread },
  };
}

/** A level inside the configured bounds. */
export const clampToBounds = (level: number, config: DifficultyConfig): number =>
  Math.min(config.maxLevel, Math.max(config.minLevel, level));
