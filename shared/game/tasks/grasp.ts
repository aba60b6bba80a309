import { expireIfLate, finishReached, type TrialRun } from './trial-run';

/** Grasp: touch the object, close the hand (or squeeze) to take it, carry it into the goal. */
export function graspObjectContact(run: TrialRun, touching: boolean): void {
  run.touchingObject = touching;
}

/** Returns true when this grab press took the object. */
export function graspPress(run: TrialRun): boolean {
  if (run.done || run.holding || !run.touchingObject) return false;
  run.holding = true;
  return true;
}

export function graspRelease(run: TrialRun): void {
  run.holding = false;
}

/** The object entered the goal zone; it counts only while carried (it cannot drift in alone). */
export function graspGoalEnter(run: TrialRun, t: number): boolean {
  if (run.done || !run.holding || t - run.tGo > run.timeout) return false;
  finishReached(run, t);
  return true;
}

export const graspTick = (run: TrialRun, t: number): boolean => expireIfLate(run, t);
