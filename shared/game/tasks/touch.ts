import { expireIfLate, finishReached, type TrialRun } from './trial-run';

/** Touch: the first contact of the effector with the armed target ends the trial. */
export function touchTargetEnter(run: TrialRun, t: number): boolean {
  if (run.done || !run.armed || t - run.tGo > run.timeout) return false;
  finishReached(run, t);
  return true;
}

export const touchTick = (run: TrialRun, t: number): boolean => expireIfLate(run, t);
