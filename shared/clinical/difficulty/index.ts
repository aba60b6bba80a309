export {
  DEFAULT_DIFFICULTY,
  DifficultyConfigError,
  difficultyConfigSchema,
  resolveDifficultyConfig,
} from './config';
export type { DifficultyConfig, DifficultyConfigInput, DifficultyRange } from './config';
export { classifyOutcome } from './outcome';
export type { TrialAttempt } from './outcome';
export { difficultyParams } from './params';
export type { DifficultyParams } from './params';
export { difficultyReason } from './reason';
export { updateDifficulty } from './update';
export type { DifficultyUpdate, UpdateOptions } from './update';
