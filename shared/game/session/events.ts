import type { ControlCommand } from '../../protocol';
import type { ThingNames } from '../instructions';
import type { FrameInput } from './frame-input';
import type { PausedBy } from './view';

/**
 * What the session machine hears. Every event carries `now`, the wall clock (ms since the epoch),
 * for the records' timestamps: the machine never reads a clock of its own.
 */
export type SessionEvent =
  /** One XR frame's tracking (the frame clock is `input.t`). */
  | { type: 'frame'; input: FrameInput; now: number }
  /** The physics world: the effector entered or left the target, touched the grasp object, reached the goal. */
  | { type: 'target-entered'; now: number }
  | { type: 'target-exited'; now: number }
  | { type: 'object-contact'; touching: boolean; now: number }
  | { type: 'goal-entered'; now: number }
  /** A therapist's command (the answer is the `command-result` effect). */
  | { type: 'command'; command: ControlCommand; now: number }
  /** The patient's own gesture (menu button or held pinches, see shared/game/gestures). */
  | { type: 'gesture'; action: 'pause' | 'resume' | 'recenter'; now: number }
  /** The page paused the session by itself: the headset came off, the page lost focus. */
  | { type: 'pause'; by: Extract<PausedBy, 'headset_removed' | 'focus_lost'>; now: number }
  /** The world drawn changed (chosen in the menu, or fell back to the plain room): its words. */
  | { type: 'dress'; things: ThingNames; now: number }
  /** The patient's set-end rating; both null means skipped. */
  | { type: 'rating'; effort: number | null; pain: number | null; now: number };

/** An event as the page has it, before the adapter stamps it with the wall clock. */
export type UnstampedEvent = SessionEvent extends infer E
  ? E extends SessionEvent
    ? Omit<E, 'now'>
    : never
  : never;
