import type { Task } from '../../protocol';

/**
 * One trial's progress, mutated in place by the task rules (the frame loop allocates nothing).
 * Times are seconds on the XR frame clock; `tContact` is measured from the target's appearance.
 */
export interface TrialRun {
  task: Task;
  tGo: number;
  /** Seconds after `tGo` at which the trial ends unreached. */
  timeout: number;
  /** Hold task: seconds the effector must stay inside. */
  dwell: number;
  done: boolean;
  reached: boolean;
  tContact: number | null;
  /**
   * Touch/hold: contact counts. False while a hand that rested where the target appeared has not
   * yet left it: a contact must come from a reach, not from a target drawn around the hand.
   */
  armed: boolean;
  /** Touch/hold: the effector is inside the target since this time (null = outside). */
  insideSince: number | null;
  /** Grasp: the effector touches the object / holds it. */
  touchingObject: boolean;
  holding: boolean;
  /** Grasp phase events, on the frame clock (null = not yet): see graspPhases. */
  tFirstTouch: number | null;
  tPickUp: number | null;
  tRelease: number | null;
  /** Grasp: times the object was let go before it reached the goal. */
  drops: number;
}

/**
 * A reach counts only within the difficulty's time limit, so that is the timeout; the hold task
 * adds its dwell so a target entered at the limit can still be held to the end.
 */
export function startTrial(
  task: Task,
  tGo: number,
  timeLimit: number,
  dwell: number,
  handInsideTarget = false,
): TrialRun {
  return {
    task,
    tGo,
    armed: !handInsideTarget,
    timeout: task === 'hold' ? timeLimit + dwell : timeLimit,
    dwell: task === 'hold' ? dwell : 0,
    done: false,
    reached: false,
    tContact: null,
    insideSince: null,
    touchingObject: false,
    holding: false,
    tFirstTouch: null,
    tPickUp: null,
    tRelease: null,
    drops: 0,
  };
}

export function finishReached(run: TrialRun, tContactAbsolute: number): void {
  run.done = true;
  run.reached = true;
  run.tContact = tContactAbsolute - run.tGo;
}

/** Ends the trial unreached once its time is up; returns true if it ended now. */
export function expireIfLate(run: TrialRun, t: number): boolean {
  if (run.done || t - run.tGo <= run.timeout) return false;
  run.done = true;
  return true;
}

/** Radius of the sphere that stands for the hand or controller tip in contact tests, metres. */
export const EFFECTOR_RADIUS_M = 0.015;

/** Whether the effector's sphere meets the target's: what the physics reports as contact. */
export function effectorInsideTarget(gapM: number, targetRadiusM: number): boolean {
  return gapM < targetRadiusM + EFFECTOR_RADIUS_M;
}

/** Touch/hold: the effector left the target (or is seen clear of it), so the next contact counts. */
export function armOnLeaving(run: TrialRun): void {
  run.armed = true;
}
