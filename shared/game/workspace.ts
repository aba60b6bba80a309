import type { Arm, Vec3, Workspace } from '../protocol';
import { toArmAxes, type ArmAxes } from './frame';

/** Shoulder below and beside the head: adult averages, good enough to centre the workspace. */
export const SHOULDER_DROP_M = 0.2;
export const SHOULDER_OFFSET_M = 0.18;

export function estimateShoulder(head: Vec3, arm: Arm): Vec3 {
  const side = arm === 'right' ? 1 : -1;
  return [head[0] + side * SHOULDER_OFFSET_M, head[1] - SHOULDER_DROP_M, head[2]];
}

const scratchAxes: ArmAxes = { outward: 0, up: 0, forward: 0 };
const scratchOffset: Vec3 = [0, 0, 0];

/**
 * Comfortable reach along a direction given in the arm's frame. The workspace is one ellipsoid
 * octant per side, through the four calibrated reaches: outward or across sideways, up above the
 * shoulder. Below the shoulder and behind it nothing was measured, so the smallest plausible
 * value is used (forward reach below, the across reach behind) to stay conservative.
 */
export function reachAlong(ws: Workspace, axes: ArmAxes): number {
  const r = ws.reach;
  const side = axes.outward >= 0 ? r.outward : r.across;
  const vertical = axes.up >= 0 ? r.up : r.forward;
  const depth = axes.forward >= 0 ? r.forward : r.across;
  const q = (axes.outward / side) ** 2 + (axes.up / vertical) ** 2 + (axes.forward / depth) ** 2;
  const norm = Math.hypot(axes.outward, axes.up, axes.forward);
  return q === 0 ? 0 : norm / Math.sqrt(q);
}

/** True when `point` (play space) lies within the calibrated workspace (boundary included). */
export function isInsideWorkspace(ws: Workspace, point: Vec3, tolerance = 1e-9): boolean {
  scratchOffset[0] = point[0] - ws.shoulder[0];
  scratchOffset[1] = point[1] - ws.shoulder[1];
  scratchOffset[2] = point[2] - ws.shoulder[2];
  const axes = toArmAxes(ws.arm, scratchOffset, scratchAxes);
  const norm = Math.hypot(axes.outward, axes.up, axes.forward);
  if (norm === 0) return true;
  return norm <= reachAlong(ws, axes) + tolerance;
}

/** A stored workspace re-centred on today's shoulder: reach is the patient's, position is not. */
export function recentreWorkspace(ws: Workspace, head: Vec3): Workspace {
  return { ...ws, shoulder: estimateShoulder(head, ws.arm) };
}

/** A workspace for people who skip calibration (practice): modest adult reaches. */
export function defaultWorkspace(arm: Arm, head: Vec3, measuredAt: string): Workspace {
  return {
    arm,
    posture: 'seated',
    shoulder: estimateShoulder(head, arm),
    reach: { forward: 0.5, outward: 0.5, up: 0.35, across: 0.25 },
    measuredAt,
  };
}
