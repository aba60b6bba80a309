import { expireIfLate, finishReached, type TrialRun } from './trial-run';

/** Hold: stay inside the target for the dwell time; leaving restarts the count. */
export function holdTargetEnter(run: TrialRun, t: number): void {
  if (!run.done && run.armed && run.insideSince === null) run.insideSince = t;
}

export function holdTargetExit(run: TrialRun): void {
  run.insideSince = null;
  run.armed = true;
}

/**
 * Completes the hold when the dwell has elapsed; `tContact` is when that successful hold began,
 * so the difficulty rule judges the reach itself, not the waiting.
 */
export function holdTick(run: TrialRun, t: number): boolean {
  if (run.done) return false;
  if (run.insideSince !== null && t - run.insideSince >= run.dwell) {
    finishReached(run, run.insideSince);
    return true;
  }
  return expireIfLate(run, t);
}

export function holdProgress(run: TrialRun, t: number): number {
  if (run.done) return run.reached ? 1 : 0;
  if (run.insideSince === null) return 0;
  return Math.min(1, (t - run.insideSince) / run.dwell);
}
