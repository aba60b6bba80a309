import { expireIfLate, finishReached, type TrialRun } from './trial-run';

/**
 * Grasp: touch the object, take it (trigger or grip button on a controller, pinch or closed hand
 * with hands), carry it into the goal. The phase events are recorded as they happen, so that
 * graspPhases can measure each part of the movement.
 */
/** The effector touches the object within this distance of its centre (it need not be exact). */
export const GRASP_ZONE_RADIUS_M = 0.06;

export function graspObjectContact(run: TrialRun, touching: boolean, t: number): void {
  run.touchingObject = touching;
  if (touching && run.tFirstTouch === null && !run.done) run.tFirstTouch = t;
}

/**
 * A closing fist curls the index fingertip (a tracked hand's effector) about 11 cm back toward the
 * palm, and a fist is seen only near the end of the curl (the middle fingertip within 10 cm of the
 * wrist): by then the fingertip has left the object's zone. So a tracked hand that touched the
 * object in this trial takes it when it closes with the fingertip this close to the object's
 * centre. A controller's grip point does not move as it squeezes: it must be in the zone.
 */
export const HAND_GRASP_REACH_M = 0.15;

/**
 * Returns true when this grab press took the object. `closingHandNear`: the press is a tracked
 * hand closing with its fingertip within HAND_GRASP_REACH_M of the object.
 */
export function graspPress(run: TrialRun, t: number, closingHandNear = false): boolean {
  const atObject = run.touchingObject || (closingHandNear && run.tFirstTouch !== null);
  if (run.done || run.holding || !atObject) return false;
  run.holding = true;
  run.tPickUp = t;
  return true;
}

/** The hand opened: before the goal the object is dropped; after it, this is the release. */
export function graspRelease(run: TrialRun, t: number): void {
  if (!run.holding) return;
  if (run.done) {
    if (run.reached && run.tRelease === null) run.tRelease = t;
    return;
  }
  run.holding = false;
  run.drops += 1;
}

/** The object entered the goal zone; it counts only while carried (it cannot drift in alone). */
export function graspGoalEnter(run: TrialRun, t: number): boolean {
  if (run.done || !run.holding || t - run.tGo > run.timeout) return false;
  finishReached(run, t);
  return true;
}

export const graspTick = (run: TrialRun, t: number): boolean => expireIfLate(run, t);

/** Seconds of each grasp phase; null where the phase did not happen (or not yet). */
export interface GraspPhases {
  /** Reach to grasp: from the object's appearance to the first touch of it. */
  reachS: number | null;
  /** Grasp (acquire): from the first touch to the pick-up that carried it to the goal. */
  acquireS: number | null;
  /** Transport: from that pick-up to the object entering the goal. */
  transportS: number | null;
  /** Release: from the goal entry to the hand opening (within the 0.5 s recorded after it). */
  releaseS: number | null;
  /** Times the object was let go before the goal (each re-grasp is part of `acquireS`). */
  drops: number;
}

const seconds = (from: number | null, to: number | null): number | null =>
  from === null || to === null ? null : Math.round(Math.max(0, to - from) * 1e6) / 1e6;

/**
 * The four phases of a grasp-and-place trial (docs/clinical-core.md), from the events of the run.
 * An unfinished grasp keeps the phases it completed (a missed trial that was picked up but not
 * carried in has a reach and an acquire, no transport).
 */
export function graspPhases(run: TrialRun): GraspPhases {
  const goal = run.reached && run.tContact !== null ? run.tGo + run.tContact : null;
  const pickUp = run.tPickUp;
  return {
    reachS: seconds(run.tGo, run.tFirstTouch),
    acquireS: seconds(run.tFirstTouch, pickUp),
    transportS: seconds(pickUp, goal),
    releaseS: seconds(goal, run.tRelease),
    drops: run.drops,
  };
}
