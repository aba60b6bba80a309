export {
  CLINICAL_LIMITS,
  clampLevel,
  DEFAULT_DIFFICULTY,
  DifficultyConfigError,
  describeConfigProblems,
  difficultyChangeSchema,
  difficultyConfigSchema,
  levelSchema,
  mergeDifficulty,
  resolveDifficultyConfig,
} from './config';
export type {
  DifficultyChange,
  DifficultyConfig,
  DifficultyConfigInput,
  DifficultyRange,
} from './config';
export { armDifficultySchema, perArm, withDifficultyChange } from './per-arm';
export type { ArmDifficulty, PerArm } from './per-arm';
export { classifyOutcome } from './outcome';
export type { TrialAttempt } from './outcome';
export { difficultyParams, difficultyParamsSchema } from './params';
export type { DifficultyParams } from './params';
export { difficultyReason } from './reason';
export { updateDifficulty } from './update';
export type { DifficultyUpdate, UpdateOptions } from './update';
export { BOUND_TRIALS, difficultyBoundAdvice } from './bound-advice';
export type { BoundAdvice } from './bound-advice';
export { TASK_TIME_SCALE, taskTimeLimit } from './task-time';
export { armsWithLevelScaleChange, levelScaleChanged } from './level-scale';
