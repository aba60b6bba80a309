import {
  createPoseFrame,
  decodePoseFrame,
  POSE_PARTS,
  type PoseFrame,
  type PoseTransform,
} from '../../../shared/protocol/pose-codec';

/**
 * The mirror plays the pose stream a little in the past so there is almost always a frame on each
 * side of the render time: 100 ms covers three frames at 30 Hz plus ordinary network jitter.
 */
export const RENDER_DELAY_MS = 100;
/** No frame for this long and the mirror says it is stale rather than pretend the patient froze. */
export const STALE_AFTER_MS = 1000;
/** One second of frames at 30 Hz, with room for a faster headset. */
export const POSE_RING_CAPACITY = 64;
/** A jump back in the headset's clock this large means a new session, not a late frame. */
const CLOCK_RESET_MS = 5000;
/** How fast the clock offset creeps up to follow drift; it drops at once to any lower sample. */
const OFFSET_RISE_RATE = 0.01;

/** Decoded frames kept in arrival order, preallocated so receiving allocates nothing. */
export interface PoseRing {
  frames: PoseFrame[];
  /** index of the oldest frame */
  start: number;
  count: number;
  /** local receive time of the newest frame, ms; -Infinity before the first */
  lastReceivedAt: number;
  /** local time minus headset time, smallest seen (least delayed); NaN before the first frame */
  clockOffsetMs: number;
}

export function createPoseRing(capacity = POSE_RING_CAPACITY): PoseRing {
  return {
    frames: Array.from({ length: capacity }, createPoseFrame),
    start: 0,
    count: 0,
    lastReceivedAt: Number.NEGATIVE_INFINITY,
    clockOffsetMs: Number.NaN,
  };
}

export function clearPoseRing(ring: PoseRing): void {
  ring.start = 0;
  ring.count = 0;
  ring.lastReceivedAt = Number.NEGATIVE_INFINITY;
  ring.clockOffsetMs = Number.NaN;
}

const frameAt = (ring: PoseRing, i: number): PoseFrame =>
  ring.frames[(ring.start + i) % ring.frames.length]!;

export const newestFrame = (ring: PoseRing): PoseFrame | null =>
  ring.count === 0 ? null : frameAt(ring, ring.count - 1);

const incoming = createPoseFrame();

/**
 * Decodes `bytes` into the ring. Invalid frames and frames not newer than the newest are dropped
 * (returns false); a large jump back in headset time starts the ring over.
 */
export function pushPoseBytes(ring: PoseRing, bytes: Uint8Array, receivedAtMs: number): boolean {
  if (!decodePoseFrame(bytes, incoming)) return false;
  const newest = newestFrame(ring);
  if (newest !== null && incoming.timeMs <= newest.timeMs) {
    if (newest.timeMs - incoming.timeMs < CLOCK_RESET_MS) return false;
    clearPoseRing(ring);
  }
  const capacity = ring.frames.length;
  copyPoseFrame(incoming, ring.frames[(ring.start + ring.count) % capacity]!);
  if (ring.count === capacity) ring.start = (ring.start + 1) % capacity;
  else ring.count++;
  ring.lastReceivedAt = receivedAtMs;
  const sampleOffset = receivedAtMs - incoming.timeMs;
  if (Number.isNaN(ring.clockOffsetMs) || sampleOffset < ring.clockOffsetMs) {
    ring.clockOffsetMs = sampleOffset;
  } else {
    ring.clockOffsetMs += (sampleOffset - ring.clockOffsetMs) * OFFSET_RISE_RATE;
  }
  return true;
}

function copyTransform(from: PoseTransform, to: PoseTransform): void {
  to.position.set(from.position);
  to.quaternion.set(from.quaternion);
}

export function copyPoseFrame(from: PoseFrame, to: PoseFrame): void {
  to.sequence = from.sequence;
  to.timeMs = from.timeMs;
  for (const part of POSE_PARTS) to.present[part] = from.present[part];
  copyTransform(from.head, to.head);
  copyTransform(from.leftController, to.leftController);
  copyTransform(from.rightController, to.rightController);
  copyTransform(from.leftHand, to.leftHand);
  copyTransform(from.rightHand, to.rightHand);
  to.leftHand.joints.set(from.leftHand.joints);
  to.rightHand.joints.set(from.rightHand.joints);
}

function lerpInto(a: Float32Array, b: Float32Array, t: number, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! + (b[i]! - a[i]!) * t;
}

/** Spherical interpolation along the shorter arc; nearly equal rotations fall back to nlerp. */
export function slerpQuaternion(a: Float32Array, b: Float32Array, t: number, out: Float32Array) {
  let bx = b[0]!;
  let by = b[1]!;
  let bz = b[2]!;
  let bw = b[3]!;
  let cos = a[0]! * bx + a[1]! * by + a[2]! * bz + a[3]! * bw;
  if (cos < 0) {
    cos = -cos;
    bx = -bx;
    by = -by;
    bz = -bz;
    bw = -bw;
  }
  let wa: number;
  let wb: number;
  if (cos > 0.9995) {
    wa = 1 - t;
    wb = t;
  } else {
    const angle = Math.acos(cos);
    const sin = Math.sin(angle);
    wa = Math.sin((1 - t) * angle) / sin;
    wb = Math.sin(t * angle) / sin;
  }
  const x = wa * a[0]! + wb * bx;
  const y = wa * a[1]! + wb * by;
  const z = wa * a[2]! + wb * bz;
  const w = wa * a[3]! + wb * bw;
  const norm = Math.hypot(x, y, z, w) || 1;
  out[0] = x / norm;
  out[1] = y / norm;
  out[2] = z / norm;
  out[3] = w / norm;
}

function interpolateTransform(a: PoseTransform, b: PoseTransform, t: number, out: PoseTransform) {
  lerpInto(a.position, b.position, t, out.position);
  slerpQuaternion(a.quaternion, b.quaternion, t, out.quaternion);
}

/**
 * Writes the pose between `a` and `b` at fraction `t` into `out`. A part present in only one frame
 * is taken from that frame (a hand that just appeared is shown where it is, not slid in from zero).
 */
export function interpolatePoseFrames(a: PoseFrame, b: PoseFrame, t: number, out: PoseFrame): void {
  out.sequence = t < 0.5 ? a.sequence : b.sequence;
  out.timeMs = a.timeMs + (b.timeMs - a.timeMs) * t;
  for (const part of POSE_PARTS) {
    const inA = a.present[part];
    const inB = b.present[part];
    out.present[part] = t < 0.5 ? inA || inB : inB;
    if (inA && inB) interpolateTransform(a[part], b[part], t, out[part]);
    else if (inB) copyTransform(b[part], out[part]);
    else if (inA) copyTransform(a[part], out[part]);
  }
  if (a.present.leftHand && b.present.leftHand) {
    lerpInto(a.leftHand.joints, b.leftHand.joints, t, out.leftHand.joints);
  } else out.leftHand.joints.set((b.present.leftHand ? b : a).leftHand.joints);
  if (a.present.rightHand && b.present.rightHand) {
    lerpInto(a.rightHand.joints, b.rightHand.joints, t, out.rightHand.joints);
  } else out.rightHand.joints.set((b.present.rightHand ? b : a).rightHand.joints);
}

/**
 * Writes the pose at headset time `timeMs` into `out`: interpolated between the two frames around
 * it, held at the oldest or newest frame outside them (never extrapolated). False when empty.
 */
export function samplePoseRing(ring: PoseRing, timeMs: number, out: PoseFrame): boolean {
  if (ring.count === 0) return false;
  const oldest = frameAt(ring, 0);
  if (timeMs <= oldest.timeMs) {
    copyPoseFrame(oldest, out);
    return true;
  }
  for (let i = 1; i < ring.count; i++) {
    const b = frameAt(ring, i);
    if (timeMs <= b.timeMs) {
      const a = frameAt(ring, i - 1);
      interpolatePoseFrames(a, b, (timeMs - a.timeMs) / (b.timeMs - a.timeMs), out);
      return true;
    }
  }
  copyPoseFrame(frameAt(ring, ring.count - 1), out);
  return true;
}

/** The headset time to show at local time `nowMs`: the stream's clock, RENDER_DELAY_MS behind. */
export function playbackTimeMs(ring: PoseRing, nowMs: number, delayMs = RENDER_DELAY_MS): number {
  return nowMs - ring.clockOffsetMs - delayMs;
}

export const isStreamStale = (ring: PoseRing, nowMs: number): boolean =>
  nowMs - ring.lastReceivedAt > STALE_AFTER_MS;
