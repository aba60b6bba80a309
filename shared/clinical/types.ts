export type Vec3 = [number, number, number];
export type Task = 'touch' | 'hold' | 'grasp';
export type Arm = 'left' | 'right';
export type TrialOutcome = 'hit' | 'miss_not_reached' | 'miss_too_slow';
export const TRIAL_OUTCOMES: readonly TrialOutcome[] = ['hit', 'miss_not_reached', 'miss_too_slow'];
export const TASKS: readonly Task[] = ['touch', 'hold', 'grasp'];
