import type { Vec3 } from '../../../shared/protocol';

/**
 * The play space: the XR reference space turned and shifted so that, at session start or after a
 * recenter, the patient's head is above the origin and faces -z. Only yaw is corrected (the floor
 * stays level), so the transform is a rotation about y plus a horizontal offset.
 */
export interface PlayAnchor {
  x: number;
  z: number;
  yaw: number;
  cos: number;
  sin: number;
  halfCos: number;
  halfSin: number;
  /** Set on the first frame and on every recenter: the anchor is the head's pose then. */
  due: boolean;
}

export function createPlayAnchor(): PlayAnchor {
  return { x: 0, z: 0, yaw: 0, cos: 1, sin: 0, halfCos: 1, halfSin: 0, due: true };
}

export function setAnchor(anchor: PlayAnchor, x: number, z: number, yaw: number): void {
  anchor.x = x;
  anchor.z = z;
  anchor.yaw = yaw;
  anchor.cos = Math.cos(yaw);
  anchor.sin = Math.sin(yaw);
  anchor.halfCos = Math.cos(-yaw / 2);
  anchor.halfSin = Math.sin(-yaw / 2);
  anchor.due = false;
}

/** XR reference space -> play space, written into `out`. */
export function toPlayInto(anchor: PlayAnchor, x: number, y: number, z: number, out: Vec3): Vec3 {
  const dx = x - anchor.x;
  const dz = z - anchor.z;
  out[0] = anchor.cos * dx - anchor.sin * dz;
  out[1] = y;
  out[2] = anchor.sin * dx + anchor.cos * dz;
  return out;
}

/** XR reference space -> play space for a position, into `out` at `offset` (pose frames). */
export function toPlayAt(
  anchor: PlayAnchor,
  x: number,
  y: number,
  z: number,
  out: Float32Array,
  offset: number,
): void {
  const dx = x - anchor.x;
  const dz = z - anchor.z;
  out[offset] = anchor.cos * dx - anchor.sin * dz;
  out[offset + 1] = y;
  out[offset + 2] = anchor.sin * dx + anchor.cos * dz;
}

/** XR reference space -> play space for an orientation: the anchor's yaw turn applied first. */
export function toPlayQuaternionInto(
  anchor: PlayAnchor,
  x: number,
  y: number,
  z: number,
  w: number,
  out: Float32Array,
): void {
  const c = anchor.halfCos;
  const s = anchor.halfSin;
  out[0] = c * x + s * z;
  out[1] = c * y + s * w;
  out[2] = c * z - s * x;
  out[3] = c * w - s * y;
}

/** Play space -> XR reference space (allocates; used on changes, not per frame). */
export function toWorld(anchor: PlayAnchor, p: Vec3): Vec3 {
  return [
    anchor.cos * p[0] + anchor.sin * p[2] + anchor.x,
    p[1],
    -anchor.sin * p[0] + anchor.cos * p[2] + anchor.z,
  ];
}

/** Yaw of a quaternion about y (the heading of the head), radians. */
export function yawOf(qx: number, qy: number, qz: number, qw: number): number {
  return Math.atan2(2 * (qw * qy + qx * qz), 1 - 2 * (qy * qy + qz * qz));
}
