import { z } from 'zod';
import type { Arm } from '../types';
import {
  difficultyConfigSchema,
  mergeDifficulty,
  type DifficultyChange,
  type DifficultyConfig,
} from './config';

/** One value for each arm: each arm has its own settings, level and bounds. */
export type PerArm<T> = { left: T; right: T };

export const perArm = <S extends z.ZodTypeAny>(schema: S) =>
  z.object({ left: schema, right: schema }).strict();

/** Plans stored before settings were per arm held one configuration for both arms. */
const oneConfigForBothArms = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && !('left' in value) && !('right' in value)
    ? { left: value, right: value }
    : value;

/** The plan's difficulty: a configuration per arm (an old single configuration applies to both). */
export const armDifficultySchema = z.preprocess(
  oneConfigForBothArms,
  perArm(difficultyConfigSchema),
);
export type ArmDifficulty = PerArm<DifficultyConfig>;

/** The settings after a change to one arm; the other arm keeps its own. Throws if invalid. */
export function withDifficultyChange(
  settings: ArmDifficulty,
  arm: Arm,
  change: DifficultyChange,
): ArmDifficulty {
  return { ...settings, [arm]: mergeDifficulty(settings[arm], change) };
}
