import type { Task } from '../types';

/**
 * The level's time limit is set for one reach to a target (touch, and hold before its dwell).
 * A grasp is a reach to the object, closing the hand on it, a second reach carrying it to the
 * goal and letting go: about two reaches plus the grasp itself, so it gets 2.5 times the reach's
 * limit (level 50: 3 s for a touch, 7.5 s for a grasp). The same scale judges the trial as a hit
 * or a miss, so the staircase compares a grasp with a grasp's time.
 */
export const TASK_TIME_SCALE: Readonly<Record<Task, number>> = Object.freeze({
  touch: 1,
  hold: 1,
  grasp: 2.5,
});

/** The time allowed for a trial of `task` when the level's (reach) limit is `levelTimeLimit`. */
export const taskTimeLimit = (task: Task, levelTimeLimit: number): number =>
  levelTimeLimit * TASK_TIME_SCALE[task];
