import { planInForce, readStoredPlan } from '../plan/schema';
import type { Arm } from '../types';
import type { DifficultyConfig } from './config';

/**
 * What a level means for one arm: the easy and hard ends of each range (level 0 and 100) and the
 * lowest and highest level allowed. When any of these changes, a level before the change and one
 * after it are not on the same scale, so charts must not join them without saying so.
 */
export function levelScaleChanged(before: DifficultyConfig, after: DifficultyConfig): boolean {
  const ranges = ['distance', 'radius', 'timeLimit', 'spread'] as const;
  return (
    before.minLevel !== after.minLevel ||
    before.maxLevel !== after.maxLevel ||
    ranges.some((k) => before[k].easy !== after[k].easy || before[k].hard !== after[k].hard)
  );
}

/**
 * The arms whose level scale a plan change altered (stored plans as saved, null for none: the
 * default plan of the affected arm was in force), left before right.
 */
export function armsWithLevelScaleChange(
  planBefore: unknown,
  planAfter: unknown,
  affectedArm: Arm,
): Arm[] {
  const before = planInForce(readStoredPlan(planBefore), affectedArm).difficulty;
  const after = planInForce(readStoredPlan(planAfter), affectedArm).difficulty;
  return (['left', 'right'] as const).filter((arm) => levelScaleChanged(before[arm], after[arm]));
}
