/**
 * The live-view pose stream, encoded as small binary frames instead of JSON so 30 Hz with two
 * tracked hands fits in a few KB/s. Positions are int16 millimetres (±32 m covers any room),
 * quaternions int16 scaled by 32767. Encoding and decoding write into caller-owned buffers so the
 * headset's frame loop and the dashboard's render loop allocate nothing.
 *
 * Layout (little-endian): u8 version, u8 presence bits, u16 sequence, u32 milliseconds since session
 * start, then for each present part in bit order: a pose (3 x i16 position, 4 x i16 quaternion),
 * and for hands the pose of the wrist followed by HAND_JOINTS positions (3 x i16 each).
 */
export const POSE_CODEC_VERSION = 1;

/** Joints drawn on the therapist's mirror: knuckles and tips give a readable hand at low cost. */
export const HAND_JOINTS = [
  'thumb-phalanx-proximal',
  'thumb-tip',
  'index-finger-phalanx-proximal',
  'index-finger-tip',
  'middle-finger-phalanx-proximal',
  'middle-finger-tip',
  'ring-finger-phalanx-proximal',
  'ring-finger-tip',
  'pinky-finger-phalanx-proximal',
  'pinky-finger-tip',
] as const;

export const POSE_PARTS = [
  'head',
  'leftController',
  'rightController',
  'leftHand',
  'rightHand',
] as const;
export type PosePart = (typeof POSE_PARTS)[number];

const HEADER_BYTES = 8;
const POSE_BYTES = 14;
const JOINT_BYTES = 6;
const HAND_BYTES = POSE_BYTES + HAND_JOINTS.length * JOINT_BYTES;
export const MAX_POSE_FRAME_BYTES = HEADER_BYTES + 3 * POSE_BYTES + 2 * HAND_BYTES;

const MM_PER_M = 1000;
const QUAT_SCALE = 32767;
const INT16_MAX = 32767;

export interface PoseTransform {
  /** x, y, z in metres */
  position: Float32Array;
  /** x, y, z, w */
  quaternion: Float32Array;
}

export interface HandPose extends PoseTransform {
  /** HAND_JOINTS.length x (x, y, z) in metres, flattened */
  joints: Float32Array;
}

export interface PoseFrame {
  sequence: number;
  timeMs: number;
  present: Record<PosePart, boolean>;
  head: PoseTransform;
  leftController: PoseTransform;
  rightController: PoseTransform;
  leftHand: HandPose;
  rightHand: HandPose;
}

const makeTransform = (): PoseTransform => ({
  position: new Float32Array(3),
  quaternion: new Float32Array([0, 0, 0, 1]),
});
const makeHand = (): HandPose => ({
  ...makeTransform(),
  joints: new Float32Array(HAND_JOINTS.length * 3),
});

export function createPoseFrame(): PoseFrame {
  return {
    sequence: 0,
    timeMs: 0,
    present: {
      head: false,
      leftController: false,
      rightController: false,
      leftHand: false,
      rightHand: false,
    },
    head: makeTransform(),
    leftController: makeTransform(),
    rightController: makeTransform(),
    leftHand: makeHand(),
    rightHand: makeHand(),
  };
}

const clampInt16 = (v: number): number => {
  const r = Math.round(v);
  return r > INT16_MAX ? INT16_MAX : r < -INT16_MAX ? -INT16_MAX : r;
};

function writeTransform(view: DataView, offset: number, pose: PoseTransform): number {
  for (let i = 0; i < 3; i++)
    view.setInt16(offset + i * 2, clampInt16(pose.position[i]! * MM_PER_M), true);
  for (let i = 0; i < 4; i++)
    view.setInt16(offset + 6 + i * 2, clampInt16(pose.quaternion[i]! * QUAT_SCALE), true);
  return offset + POSE_BYTES;
}

function readTransform(view: DataView, offset: number, pose: PoseTransform): number {
  for (let i = 0; i < 3; i++) pose.position[i] = view.getInt16(offset + i * 2, true) / MM_PER_M;
  for (let i = 0; i < 4; i++)
    pose.quaternion[i] = view.getInt16(offset + 6 + i * 2, true) / QUAT_SCALE;
  return offset + POSE_BYTES;
}

function writeHand(view: DataView, offset: number, hand: HandPose): number {
  let o = writeTransform(view, offset, hand);
  for (let j = 0; j < hand.joints.length; j++) {
    view.setInt16(o, clampInt16(hand.joints[j]! * MM_PER_M), true);
    o += 2;
  }
  return o;
}

/** Encodes `frame` into `out` (at least MAX_POSE_FRAME_BYTES long) and returns the bytes used. */
export function encodePoseFrame(frame: PoseFrame, out: DataView): number {
  let bits = 0;
  for (let i = 0; i < POSE_PARTS.length; i++) if (frame.present[POSE_PARTS[i]!]) bits |= 1 << i;
  out.setUint8(0, POSE_CODEC_VERSION);
  out.setUint8(1, bits);
  out.setUint16(2, frame.sequence & 0xffff, true);
  out.setUint32(4, Math.max(0, Math.round(frame.timeMs)) >>> 0, true);
  let offset = HEADER_BYTES;
  if (frame.present.head) offset = writeTransform(out, offset, frame.head);
  if (frame.present.leftController) offset = writeTransform(out, offset, frame.leftController);
  if (frame.present.rightController) offset = writeTransform(out, offset, frame.rightController);
  if (frame.present.leftHand) offset = writeHand(out, offset, frame.leftHand);
  if (frame.present.rightHand) offset = writeHand(out, offset, frame.rightHand);
  return offset;
}

/** Expected length of a frame with these presence bits, or -1 for bits no encoder sets. */
export function poseFrameLength(bits: number): number {
  if (bits >> POSE_PARTS.length !== 0) return -1;
  let length = HEADER_BYTES;
  for (let i = 0; i < 3; i++) if (bits & (1 << i)) length += POSE_BYTES;
  for (let i = 3; i < 5; i++) if (bits & (1 << i)) length += HAND_BYTES;
  return length;
}

/**
 * Decodes into `frame`. Returns false, leaving `frame` unspecified, for bytes that are not a valid
 * frame of this version: the network is untrusted, so the length must match the presence bits.
 */
export function decodePoseFrame(bytes: Uint8Array, frame: PoseFrame): boolean {
  if (bytes.byteLength < HEADER_BYTES) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== POSE_CODEC_VERSION) return false;
  const bits = view.getUint8(1);
  if (poseFrameLength(bits) !== bytes.byteLength) return false;
  frame.sequence = view.getUint16(2, true);
  frame.timeMs = view.getUint32(4, true);
  for (let i = 0; i < POSE_PARTS.length; i++)
    frame.present[POSE_PARTS[i]!] = (bits & (1 << i)) !== 0;
  let offset = HEADER_BYTES;
  if (frame.present.head) offset = readTransform(view, offset, frame.head);
  if (frame.present.leftController) offset = readTransform(view, offset, frame.leftController);
  if (frame.present.rightController) offset = readTransform(view, offset, frame.rightController);
  if (frame.present.leftHand) offset = readHand(view, offset, frame.leftHand);
  if (frame.present.rightHand) readHand(view, offset, frame.rightHand);
  return true;
}

function readHand(view: DataView, offset: number, hand: HandPose): number {
  let o = readTransform(view, offset, hand);
  for (let j = 0; j < hand.joints.length; j++) {
    hand.joints[j] = view.getInt16(o, true) / MM_PER_M;
    o += 2;
  }
  return o;
}

/**
 * Pose frames travel as base64 text: Socket.IO sends a string as one WebSocket frame, where
 * binary costs a placeholder packet plus an attachment frame per message.
 */
export const MAX_POSE_FRAME_BASE64_LENGTH = 4 * Math.ceil(MAX_POSE_FRAME_BYTES / 3);

export const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/** Base64 of the first `length` bytes of `bytes` (an encodePoseFrame output). */
export function poseFrameToBase64(bytes: Uint8Array, length: number): string {
  let binary = '';
  for (let i = 0; i < length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

/**
 * Decodes base64 `text` into `out` (at least MAX_POSE_FRAME_BYTES long; a new one when omitted) and
 * returns the view of the decoded bytes, or null for text that is too long or not base64. The bytes
 * are not checked as a frame: decodePoseFrame does that.
 */
export function poseFrameFromBase64(
  text: string,
  out: Uint8Array = new Uint8Array(MAX_POSE_FRAME_BYTES),
): Uint8Array | null {
  if (text.length > MAX_POSE_FRAME_BASE64_LENGTH || !BASE64_PATTERN.test(text)) return null;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  if (binary.length > out.length) return null;
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out.subarray(0, binary.length);
}
