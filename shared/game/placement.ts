import type { Vec3, Workspace } from '../protocol';
import { fromArmAxes, type ArmAxes } from './frame';
import { isInComfortableView, eyePoint, keepInComfortableView, varyInView } from './view';
import { isInsideWorkspace } from './workspace';
import { reachAlong } from './workspace';

export interface PlacementParams {
  distanceFraction: number;
  spreadDeg: number;
  /** Metres; with `hand` given, a target is redrawn while the hand would be inside it. */
  targetRadius?: number;
}

/** Targets spread around forward-and-a-little-outward, the natural line of a reach. */
export const SPREAD_CENTRE_DEG = 30;
/** Elevation range: from slightly below shoulder height to well above it. */
export const ELEVATION_MIN_DEG = -10;
export const ELEVATION_MAX_DEG = 25;

const DEG = Math.PI / 180;
const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

/**
 * Where the next target goes: drawn as a reach from the shoulder (drawReachPoint). Inside the
 * comfortable view from the eyes (shared/game/view.ts) it stays; outside, it moves to the nearest
 * point inside both the view and the workspace, then is varied around there by the level's spread
 * (varyInView), so successive targets do not all land on the same spot. With no comfortable point
 * at all (a very short reach) the drawn reach stays. Given the `hand`, a target is redrawn (up to
 * 20 times) while the hand is within its radius plus 5 cm, keeping the draw farthest from it.
 */
export function placeTarget(
  ws: Workspace,
  params: PlacementParams,
  random: () => number,
  hand?: Vec3,
): Vec3 {
  let target = placeOnce(ws, params, random);
  if (hand === undefined) return target;
  // A target that appears around the resting hand would be touched without a reach: redraw, and
  // where a narrow spread keeps every draw near the hand, take the comfortable draw farthest
  // from it (in view first, then clear of the hand).
  const clear = (params.targetRadius ?? 0) + HAND_CLEARANCE_M;
  const eye = eyePoint(ws);
  let inView = isInComfortableView(eye, target);
  let gap = distance(target, hand);
  for (let i = 0; i < REDRAWS && !(inView && gap >= clear); i++) {
    const next = placeOnce(ws, params, random);
    const nextInView = isInComfortableView(eye, next);
    const nextGap = distance(next, hand);
    if ((nextInView && !inView) || (nextInView === inView && nextGap > gap)) {
      target = next;
      inView = nextInView;
      gap = nextGap;
    }
  }
  return target;
}

const REDRAWS = 20;

/** How far beyond the target's surface the hand must be when a target appears. */
export const HAND_CLEARANCE_M = 0.05;

const distance = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

function placeOnce(ws: Workspace, params: PlacementParams, random: () => number): Vec3 {
  const drawn = drawReachPoint(ws, params, random);
  if (isInComfortableView(eyePoint(ws), drawn) && isInsideWorkspace(ws, drawn)) return drawn;
  const anchor = keepInComfortableView(ws, drawn);
  if (anchor === drawn) return drawn;
  return varyInView(ws, anchor, params, random);
}

/**
 * A reach drawn from the shoulder: at `distanceFraction` of the calibrated reach in a direction
 * drawn within ±spread/2 of the forward-outward line (azimuth limited to ±90° from forward, so a
 * target crosses the midline only as far as the calibrated `across` reach allows) and a modest
 * elevation. The fraction is capped at 1, so the centre is always inside the workspace.
 */
export function drawReachPoint(ws: Workspace, params: PlacementParams, random: () => number): Vec3 {
  const spread = clamp(params.spreadDeg, 0, 180);
  const azimuth = clamp(SPREAD_CENTRE_DEG + (random() - 0.5) * spread, -90, 90) * DEG;
  const elevation = (ELEVATION_MIN_DEG + random() * (ELEVATION_MAX_DEG - ELEVATION_MIN_DEG)) * DEG;
  const axes: ArmAxes = {
    outward: Math.cos(elevation) * Math.sin(azimuth),
    up: Math.sin(elevation),
    forward: Math.cos(elevation) * Math.cos(azimuth),
  };
  const distance = clamp(params.distanceFraction, 0, 1) * reachAlong(ws, axes);
  const offset = fromArmAxes(
    ws.arm,
    axes.outward * distance,
    axes.up * distance,
    axes.forward * distance,
  );
  return [ws.shoulder[0] + offset[0], ws.shoulder[1] + offset[1], ws.shoulder[2] + offset[2]];
}

/**
 * Start point of the grasp task's object: close in front of the body, slightly below the
 * shoulder, moved into the comfortable view like a target.
 */
export const GRASP_OBJECT_FRACTION = 0.35;

export function placeGraspObject(ws: Workspace): Vec3 {
  const elevation = ELEVATION_MIN_DEG * DEG;
  const axes: ArmAxes = { outward: 0, up: Math.sin(elevation), forward: Math.cos(elevation) };
  const distance = GRASP_OBJECT_FRACTION * reachAlong(ws, axes);
  const offset = fromArmAxes(ws.arm, 0, axes.up * distance, axes.forward * distance);
  return keepInComfortableView(ws, [
    ws.shoulder[0] + offset[0],
    ws.shoulder[1] + offset[1],
    ws.shoulder[2] + offset[2],
  ]);
}

/** The grasp goal must be a real carry away from the object, not on top of it. */
export const MIN_CARRY_M = 0.12;

/** A goal placed like a target, redrawn (up to 50 times) until it is a carry away from `object`. */
export function placeGoal(
  ws: Workspace,
  params: PlacementParams,
  random: () => number,
  object: Vec3,
): Vec3 {
  let goal = placeTarget(ws, params, random);
  for (let i = 0; i < 50; i++) {
    const d = Math.hypot(goal[0] - object[0], goal[1] - object[1], goal[2] - object[2]);
    if (d >= MIN_CARRY_M) break;
    goal = placeTarget(ws, params, random);
  }
  return goal;
}
