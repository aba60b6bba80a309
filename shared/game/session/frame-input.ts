import type { Vec3 } from '../../protocol';

/**
 * One frame's tracking, in play space: what the session machine reads of the body. The headset
 * writes one such object in place every frame (the frame loop allocates nothing).
 */
export interface FrameInput {
  /** Seconds, XR frame clock. */
  t: number;
  head: Vec3;
  headQuaternion: [number, number, number, number];
  /** Effector of each arm (controller grip or hand effector joint) and whether it is tracked. */
  effector: { left: Vec3; right: Vec3 };
  tracked: { left: boolean; right: boolean };
  select: { left: boolean; right: boolean };
  grab: { left: boolean; right: boolean };
  /** The patient's gestures: squeeze on a controller, pinch on a hand (see shared/game/gestures). */
  gripGesture: { left: boolean; right: boolean };
  /** B or Y held on either controller. */
  menuButton: boolean;
  inputMode: 'controllers' | 'hands' | 'none';
}

export function createFrameInput(): FrameInput {
  return {
    t: 0,
    head: [0, 1.2, 0],
    headQuaternion: [0, 0, 0, 1],
    effector: { left: [0, 0, 0], right: [0, 0, 0] },
    tracked: { left: false, right: false },
    select: { left: false, right: false },
    grab: { left: false, right: false },
    gripGesture: { left: false, right: false },
    menuButton: false,
    inputMode: 'none',
  };
}

const copy3 = (from: Vec3, to: Vec3) => {
  to[0] = from[0];
  to[1] = from[1];
  to[2] = from[2];
};
const copySides = (from: { left: boolean; right: boolean }, to: typeof from) => {
  to.left = from.left;
  to.right = from.right;
};

/** Copies a frame into the machine's own (no allocation), so the caller may reuse its object. */
export function copyFrameInput(from: FrameInput, to: FrameInput): void {
  to.t = from.t;
  copy3(from.head, to.head);
  for (let i = 0; i < 4; i++) to.headQuaternion[i] = from.headQuaternion[i]!;
  copy3(from.effector.left, to.effector.left);
  copy3(from.effector.right, to.effector.right);
  copySides(from.tracked, to.tracked);
  copySides(from.select, to.select);
  copySides(from.grab, to.grab);
  copySides(from.gripGesture, to.gripGesture);
  to.menuButton = from.menuButton;
  to.inputMode = from.inputMode;
}
