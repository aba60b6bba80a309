import type { Vec3, Workspace } from '../protocol';
import { outwardSign } from './frame';
import { nextSegment, segment, startRay, walkFrom } from './ray-segments';
import { isInsideWorkspace, SHOULDER_DROP_M, SHOULDER_OFFSET_M } from './workspace';

/**
 * The comfortable view: where a target may appear so that a seated older adult sees it while
 * looking straight ahead, without turning the head or looking down past the headset's lower edge.
 * Angles are from the eyes, relative to the horizontal straight-ahead line (-z in play space):
 * - sideways within ±35°: inside every current headset's display (about ±45°) with a margin, and
 *   within comfortable head-and-eye rotation (about 30° of head yaw is comfortable);
 * - from 35° below to 15° above the horizontal: the natural line of sight rests 10-15° below
 *   the horizontal, so this is that line ±20-25°;
 * - at least 30 cm from the eyes: closer targets are hard to focus on (reading distance is
 *   about 35-40 cm) and feel like they are in the face.
 */
export interface ViewLimits {
  halfWidthDeg: number;
  upDeg: number;
  downDeg: number;
  minDistanceM: number;
}

export const COMFORTABLE_VIEW: Readonly<ViewLimits> = Object.freeze({
  halfWidthDeg: 35,
  upDeg: 15,
  downDeg: 35,
  minDistanceM: 0.3,
});

/**
 * What counts as seen for the pointer: a little inside a typical headset's display (about ±45°),
 * and at least 5° beyond the comfortable view on every side, so a target placed comfortably is
 * seen while the head looks straight ahead and the pointer does not flicker at the edge.
 */
export const SEEN_VIEW: Readonly<ViewLimits> = Object.freeze({
  halfWidthDeg: 40,
  upDeg: 25,
  downDeg: 40,
  minDistanceM: 0,
});

/**
 * Targets moved into the view go at least this far inside its edges when the workspace allows,
 * so a moved target is not cut by the display's edge or lens blur; else up to the edge.
 */
export const PLACEMENT_MARGIN_DEG = 5;

const DEG = Math.PI / 180;

/**
 * The eyes at the session's start: the workspace's shoulder was estimated from the head (see
 * estimateShoulder), so the head is exactly that offset back from it.
 */
export function eyePoint(ws: Workspace): Vec3 {
  return [
    ws.shoulder[0] - outwardSign(ws.arm) * SHOULDER_OFFSET_M,
    ws.shoulder[1] + SHOULDER_DROP_M,
    ws.shoulder[2],
  ];
}

/**
 * True when `point` seen from `eye` looking straight ahead (-z, level) lies within the angular
 * limits and at least the minimum distance away (boundaries included, with `tolerance`).
 */
export function isInComfortableView(
  eye: Vec3,
  point: Vec3,
  limits: ViewLimits = COMFORTABLE_VIEW,
  tolerance = 1e-9,
): boolean {
  const right = point[0] - eye[0];
  const up = point[1] - eye[1];
  const forward = -(point[2] - eye[2]);
  if (Math.hypot(right, up, forward) < limits.minDistanceM - tolerance) return false;
  return withinViewAngles(right, up, forward, limits, tolerance);
}

/** The angular limits on an offset in the viewer's frame: right, up, forward (metres). */
function withinViewAngles(
  right: number,
  up: number,
  forward: number,
  limits: ViewLimits,
  tolerance: number,
): boolean {
  if (forward <= 0) return false;
  const azimuth = Math.atan2(Math.abs(right), forward);
  if (azimuth > limits.halfWidthDeg * DEG + tolerance) return false;
  const elevation = Math.atan2(up, Math.hypot(right, forward));
  return (
    elevation <= limits.upDeg * DEG + tolerance && elevation >= -limits.downDeg * DEG - tolerance
  );
}

/** Directions searched from the eyes, every this many degrees across the comfortable view. */
const RAY_STEP_DEG = 2.5;

const raysByLimits = new Map<string, Float64Array>();

/**
 * The unit rays searched within `limits` (x, y, z each, azimuth by azimuth, from below upward),
 * computed once: placement searches them at every trial start, in the frame that shows the target.
 */
function searchRays(limits: ViewLimits): Float64Array {
  const key = `${limits.halfWidthDeg}/${limits.upDeg}/${limits.downDeg}`;
  const known = raysByLimits.get(key);
  if (known) return known;
  const azSteps = Math.floor((2 * limits.halfWidthDeg) / RAY_STEP_DEG + 1e-9);
  const elSteps = Math.floor((limits.upDeg + limits.downDeg) / RAY_STEP_DEG + 1e-9);
  const rays = new Float64Array((azSteps + 1) * (elSteps + 1) * 3);
  let k = 0;
  for (let i = 0; i <= azSteps; i++) {
    const az = (-limits.halfWidthDeg + i * RAY_STEP_DEG) * DEG;
    for (let j = 0; j <= elSteps; j++) {
      const el = (-limits.downDeg + j * RAY_STEP_DEG) * DEG;
      rays[k++] = Math.cos(el) * Math.sin(az);
      rays[k++] = Math.sin(el);
      rays[k++] = -Math.cos(el) * Math.cos(az);
    }
  }
  raysByLimits.set(key, rays);
  return rays;
}

/**
 * `candidate` if it is already inside the comfortable view and the workspace, else the nearest
 * point inside both, PLACEMENT_MARGIN_DEG inside the view's edges if the workspace allows. The
 * search runs along rays from the eyes every 2.5° across the view; along each ray the workspace
 * is found exactly (within one octant of the arm's frame it is an ellipsoid, so the part of the
 * ray inside it solves a quadratic). When the workspace has no comfortable point at all (a very
 * small reach), the candidate stays: reaching it matters more, and the pointer shows where it is.
 */
export function keepInComfortableView(
  ws: Workspace,
  candidate: Vec3,
  limits: ViewLimits = COMFORTABLE_VIEW,
): Vec3 {
  const eye = eyePoint(ws);
  if (isInComfortableView(eye, candidate, limits) && isInsideWorkspace(ws, candidate))
    return candidate;
  const inner = innerView(limits);
  return (
    nearestInView(ws, eye, candidate, inner) ??
    nearestInView(ws, eye, candidate, limits) ??
    candidate
  );
}

/** The nearest-point search's state: the candidate from the eyes, and the point found on a ray. */
const search = {
  cx: 0,
  cy: 0,
  cz: 0,
  minDistanceM: 0,
  /** Along the last ray searched: how far from the eyes its nearest point lies. */
  t: 0,
};

/**
 * The squared distance from the candidate to the nearest point of ray `k` (of `rays`) inside the
 * workspace, beyond the view's minimum distance (its distance along the ray in `search.t`), or
 * Infinity when the ray does not cross the workspace there.
 */
function rayDistanceSq(rays: Float64Array, k: number): number {
  const { cx, cy, cz } = search;
  const dx = rays[k]!;
  const dy = rays[k + 1]!;
  const dz = rays[k + 2]!;
  startRay(dx, dy, dz, search.minDistanceM);
  const along = cx * dx + cy * dy + cz * dz;
  let bestDistance = Infinity;
  while (nextSegment()) {
    const { t0, t1, qa, qb } = segment;
    // Inside the workspace the squared reach fraction is at most 1.
    const qc = segment.qc - 1;
    const disc = qb * qb - 4 * qa * qc;
    if (disc < 0) continue;
    const root = Math.sqrt(disc);
    const lo = Math.max(t0, (-qb - root) / (2 * qa));
    const hi = Math.min(t1, (-qb + root) / (2 * qa));
    if (lo > hi) continue;
    const t = along < lo ? lo : along > hi ? hi : along;
    const distance = (t * dx - cx) ** 2 + (t * dy - cy) ** 2 + (t * dz - cz) ** 2;
    if (distance < bestDistance) {
      bestDistance = distance;
      search.t = t;
    }
  }
  return bestDistance;
}

/**
 * The nearest point to `candidate` inside both the workspace and `limits`, or null if none. It runs
 * at a trial's start, in the frame that shows the target, so the rays are searched column by
 * column (one azimuth each) from the candidate's azimuth outward, and a ray that cannot win is
 * skipped: no point of a ray is nearer the candidate than the foot of the perpendicular from it.
 * Among equally near points the first ray (by azimuth, then elevation) wins, as in a search of every
 * ray in that order, so the result does not depend on the order searched.
 */
function nearestInView(ws: Workspace, eye: Vec3, candidate: Vec3, limits: ViewLimits): Vec3 | null {
  walkFrom(ws, eye);
  search.minDistanceM = limits.minDistanceM;
  const cx = (search.cx = candidate[0] - eye[0]);
  const cy = (search.cy = candidate[1] - eye[1]);
  const cz = (search.cz = candidate[2] - eye[2]);
  const candidateSq = cx * cx + cy * cy + cz * cz;
  const rays = searchRays(limits);
  const azSteps = Math.floor((2 * limits.halfWidthDeg) / RAY_STEP_DEG + 1e-9);
  const column = (rays.length / 3 / (azSteps + 1)) * 3;
  const azimuth = Math.atan2(cx, -cz) / DEG;
  const first = clamp(Math.round((azimuth + limits.halfWidthDeg) / RAY_STEP_DEG), 0, azSteps);
  let bestDistance = Infinity;
  let bestRay = -1;
  const best: Vec3 = [0, 0, 0];
  for (let step = 0; step <= 2 * azSteps; step++) {
    // first, first - 1, first + 1, first - 2, ...
    const i = step % 2 === 0 ? first + step / 2 : first - (step + 1) / 2;
    if (i < 0 || i > azSteps) continue;
    for (let k = i * column; k < (i + 1) * column; k += 3) {
      const along = cx * rays[k]! + cy * rays[k + 1]! + cz * rays[k + 2]!;
      const nearestSq = along > 0 ? candidateSq - along * along : candidateSq;
      // The margin keeps a ray whose bound only rounding puts beyond the best.
      if (nearestSq > bestDistance + 1e-12) continue;
      const distance = rayDistanceSq(rays, k);
      if (distance < bestDistance || (distance === bestDistance && k < bestRay)) {
        bestDistance = distance;
        bestRay = k;
        best[0] = eye[0] + search.t * rays[k]!;
        best[1] = eye[1] + search.t * rays[k + 1]!;
        best[2] = eye[2] + search.t * rays[k + 2]!;
      }
    }
  }
  return bestDistance === Infinity ? null : best;
}

/** The comfortable view shrunk by the placement margin on every side. */
const innerView = (limits: ViewLimits): ViewLimits => ({
  halfWidthDeg: limits.halfWidthDeg - PLACEMENT_MARGIN_DEG,
  upDeg: limits.upDeg - PLACEMENT_MARGIN_DEG,
  downDeg: limits.downDeg - PLACEMENT_MARGIN_DEG,
  minDistanceM: limits.minDistanceM,
});

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
/** Folds a value that overshoots [lo, hi] back inside, so draws near an edge do not pile on it. */
const fold = (x: number, lo: number, hi: number) =>
  clamp(x > hi ? 2 * hi - x : x < lo ? 2 * lo - x : x, lo, hi);

/**
 * A target near `anchor` (a point already inside the comfortable view and the workspace, at about
 * the level's distance) but varied like the level's spread: a direction from the eyes within
 * ±spread/4 of the anchor's, folded back 5° inside the view's edges, then the point along it (at least
 * the minimum distance away, inside the workspace) whose reach from the shoulder is nearest to
 * `distanceFraction` of the calibrated reach. The anchor itself when that direction meets no such
 * point. Without this, every easy target of a short reach would land on the same spot, and a hand
 * resting on the last target would touch the next one at once.
 */
export function varyInView(
  ws: Workspace,
  anchor: Vec3,
  params: { distanceFraction: number; spreadDeg: number },
  random: () => number,
  limits: ViewLimits = COMFORTABLE_VIEW,
): Vec3 {
  const inner = innerView(limits);
  const eye = eyePoint(ws);
  const ax = anchor[0] - eye[0];
  const ay = anchor[1] - eye[1];
  const az = -(anchor[2] - eye[2]);
  const half = clamp(params.spreadDeg, 0, 180) / 4;
  const azimuth =
    fold(
      Math.atan2(ax, az) / DEG + (random() - 0.5) * 2 * half,
      -inner.halfWidthDeg,
      inner.halfWidthDeg,
    ) * DEG;
  const elevation =
    fold(
      Math.atan2(ay, Math.hypot(ax, az)) / DEG + (random() - 0.5) * 2 * half,
      -inner.downDeg,
      inner.upDeg,
    ) * DEG;
  const dx = Math.cos(elevation) * Math.sin(azimuth);
  const dy = Math.sin(elevation);
  const dz = -Math.cos(elevation) * Math.cos(azimuth);
  const t = alongRayAtFraction(ws, eye, dx, dy, dz, limits.minDistanceM, params.distanceFraction);
  return t === null ? anchor : [eye[0] + t * dx, eye[1] + t * dy, eye[2] + t * dz];
}

/**
 * Along the unit ray eye + t·d (t >= tMin), the t whose point is inside the workspace with a reach
 * fraction (distance from the shoulder / calibrated reach that way) nearest to `fraction`; null if
 * no point of the ray is inside. Within one segment the squared fraction is a quadratic in t, so
 * the best t is a root, the vertex or an end of a segment.
 */
function alongRayAtFraction(
  ws: Workspace,
  eye: Vec3,
  dx: number,
  dy: number,
  dz: number,
  tMin: number,
  fraction: number,
): number | null {
  const f = clamp(fraction, 0, 1);
  closest.fraction = f;
  closest.t = NaN;
  closest.gap = Infinity;
  walkFrom(ws, eye);
  startRay(dx, dy, dz, tMin);
  while (nextSegment()) {
    const { t0, t1, qa, qb, qc } = segment;
    consider(t0);
    if (t1 !== Infinity) consider(t1);
    consider(-qb / (2 * qa));
    const disc = qb * qb - 4 * qa * (qc - f * f);
    if (disc >= 0) {
      const root = Math.sqrt(disc);
      consider((-qb - root) / (2 * qa));
      consider((-qb + root) / (2 * qa));
    }
  }
  return Number.isNaN(closest.t) ? null : closest.t;
}

/**
 * alongRayAtFraction's best so far. `t` is NaN until a point inside the workspace is found (a number,
 * not null, so writing it allocates nothing; no t compares below NaN, so no tie wins before then).
 */
const closest = { fraction: 0, t: NaN, gap: Infinity };

/**
 * Takes `t` as the best so far when its point lies on the current segment, inside the workspace,
 * with a reach fraction nearer `closest.fraction`; on a tie (within rounding), the nearer the eyes.
 */
function consider(t: number): void {
  const { t0, t1, qa, qb, qc } = segment;
  if (!(t >= t0 && t <= t1)) return;
  const q = Math.max(0, qa * t * t + qb * t + qc);
  if (q > 1) return;
  const gap = Math.abs(Math.sqrt(q) - closest.fraction);
  if (gap < closest.gap - 1e-12 || (Math.abs(gap - closest.gap) <= 1e-12 && t < closest.t)) {
    closest.gap = gap;
    closest.t = t;
  }
}

/** Where the off-view pointer sits, in the viewer's frame: this far ahead ... */
export const POINTER_DISTANCE_M = 0.6;
/** ... and this far off-centre toward the target (metres, right and up): near the view's edge. */
export const POINTER_EDGE_RIGHT_M = 0.26;
export const POINTER_EDGE_UP_M = 0.18;

/** The pointer's pose, written in place each frame (no allocation). */
export interface ViewPointer {
  visible: boolean;
  position: Vec3;
  /** x, y, z, w: turns the pointer's +y axis toward the target, in the view plane. */
  quaternion: [number, number, number, number];
}

export const createViewPointer = (): ViewPointer => ({
  visible: false,
  position: [0, 0, 0],
  quaternion: [0, 0, 0, 1],
});

/**
 * The gentle pointer toward a target outside the current view (the patient turned the head): hidden
 * while the target is within SEEN_VIEW's angles around where the head looks now;
 * otherwise placed near the view's edge on the target's side, its +y axis pointing toward it.
 * Head and target in play space, `headQuaternion` (x, y, z, w) the head's play-space orientation.
 */
export function updateViewPointer(
  out: ViewPointer,
  head: Vec3,
  headQuaternion: ArrayLike<number>,
  target: Vec3,
  limits: ViewLimits = SEEN_VIEW,
): ViewPointer {
  const qx = headQuaternion[0]!;
  const qy = headQuaternion[1]!;
  const qz = headQuaternion[2]!;
  const qw = headQuaternion[3]!;
  // The target in the head's frame: the inverse rotation (conjugate) applied to the offset.
  rotate(-qx, -qy, -qz, qw, target[0] - head[0], target[1] - head[1], target[2] - head[2]);
  const right = scratch[0];
  const up = scratch[1];
  const forward = -scratch[2];
  // Only where the target is decides, not how near: a near target in view is seen.
  if (withinViewAngles(right, up, forward, limits, 0)) {
    out.visible = false;
    return out;
  }
  const length = Math.hypot(right, up);
  // Straight behind: point sideways, toward the target's side (right when exactly behind).
  const ux = length < 1e-6 ? 1 : right / length;
  const uy = length < 1e-6 ? 0 : up / length;
  rotate(qx, qy, qz, qw, ux * POINTER_EDGE_RIGHT_M, uy * POINTER_EDGE_UP_M, -POINTER_DISTANCE_M);
  out.position[0] = head[0] + scratch[0];
  out.position[1] = head[1] + scratch[1];
  out.position[2] = head[2] + scratch[2];
  // Turn +y toward (ux, uy) about the view axis, then apply the head's orientation.
  const angle = Math.atan2(-ux, uy);
  const s = Math.sin(angle / 2);
  const c = Math.cos(angle / 2);
  out.quaternion[0] = qx * c + qy * s;
  out.quaternion[1] = qy * c - qx * s;
  out.quaternion[2] = qw * s + qz * c;
  out.quaternion[3] = qw * c - qz * s;
  out.visible = true;
  return out;
}

const scratch: [number, number, number] = [0, 0, 0];

/** Rotates (vx, vy, vz) by the unit quaternion (x, y, z, w) into `scratch`. */
function rotate(x: number, y: number, z: number, w: number, vx: number, vy: number, vz: number) {
  const tx = 2 * (y * vz - z * vy);
  const ty = 2 * (z * vx - x * vz);
  const tz = 2 * (x * vy - y * vx);
  scratch[0] = vx + w * tx + (y * tz - z * ty);
  scratch[1] = vy + w * ty + (z * tx - x * tz);
  scratch[2] = vz + w * tz + (x * ty - y * tx);
}
