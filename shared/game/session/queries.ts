import { totalTrials } from '../../clinical';
import type { Arm, Vec3 } from '../../protocol';
import type { TrialRun } from '../tasks';
import type { SessionState } from './state';

/** What the scene reads of the session between events (no copies: read, never write). */

/** The arm being trained now: its effector is recorded and drives the targets. */
export const activeArm = (state: SessionState): Arm => state.view.arm;

export const trialRun = (state: SessionState): TrialRun | null => state.run;

/** The next target while its instruction shows (for the ghost demonstration). */
export const upcomingTarget = (state: SessionState): Vec3 | null =>
  state.phase === 'instructions' ? state.target : null;

/** Grasp: whether the object follows the effector now. */
export const holdingObject = (state: SessionState): boolean =>
  state.phase === 'running' && state.run?.holding === true;

export const plannedTrials = (state: SessionState): number => totalTrials(state.plan);

/** Which arm's pinches a grasp holds (they are the task, not a gesture), or null. */
export const graspingArm = (state: SessionState): Arm | null =>
  state.run?.task === 'grasp' ? state.view.arm : null;

/** Where the patient should look now: the target, or for a grasp the object until it is carried. */
export function aimPoint(state: SessionState): Vec3 | null {
  const view = state.view;
  if (view.status !== 'running') return null;
  const targets = view.targets;
  if (targets.length === 0) return null;
  if (targets.length === 1) return targets[0]!.position;
  const wanted = holdingObject(state) ? 'goal' : 'object';
  for (let i = 0; i < targets.length; i++)
    if (targets[i]!.kind === wanted) return targets[i]!.position;
  return null;
}
