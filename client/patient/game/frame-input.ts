import type { Vec3 } from '../../../shared/protocol';

/**
 * This frame's tracking, in play space, written by the input reader and read by the engine, the
 * recorder and the pose stream. One module-level object: the frame loop allocates nothing.
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

export const frameInput: FrameInput = {
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
