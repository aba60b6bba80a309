/**
 * The patient's own controls, usable with controllers or bare hands of either side:
 * - pause: hold B or Y, or the trigger or pinch of one hand, for PAUSE_HOLD_S (during a grasp
 *   trial the grasping hand's pinch is the task's, so only the other hand's counts; while the
 *   set-end prompt is open the trigger and pinch drag its sliders, so only B or Y pause);
 * - resume: a fresh trigger press or pinch while paused (the gesture that paused must be released
 *   first, so letting go of a long pinch does not resume at once);
 * - recenter: both grips or both pinches held for RECENTER_HOLD_S.
 */
export const PAUSE_HOLD_S = 1.5;
export const RECENTER_HOLD_S = 2;

export interface GestureInput {
  /** B or Y held on either controller. */
  menuButton: boolean;
  /** Trigger pressed or pinch closed, per side. */
  select: { left: boolean; right: boolean };
  /** Squeeze pressed or pinch closed, per side (what "both hands" means for recenter). */
  grip: { left: boolean; right: boolean };
  /** The arm whose trigger or pinch the running trial uses to grasp, if any. */
  graspArm: 'left' | 'right' | null;
  /** The set-end prompt is open: triggers and pinches work its sliders and buttons. */
  promptOpen: boolean;
  paused: boolean;
}

export type GestureAction = 'pause' | 'resume' | 'recenter' | null;

export interface GestureState {
  pauseHeldS: number;
  recenterHeldS: number;
  /** A long press fired: nothing fires again until every input is released. */
  latched: boolean;
  anySelectBefore: boolean;
}

export const createGestureState = (): GestureState => ({
  pauseHeldS: 0,
  recenterHeldS: 0,
  latched: false,
  anySelectBefore: false,
});

/** Advances the gestures by `dt` seconds; returns the action to take this frame, if any. */
export function stepGestures(state: GestureState, input: GestureInput, dt: number): GestureAction {
  const anySelect = input.select.left || input.select.right;
  const left = input.select.left && input.graspArm !== 'left';
  const right = input.select.right && input.graspArm !== 'right';
  const bothGrips = input.grip.left && input.grip.right;
  const anyInput = anySelect || input.menuButton || input.grip.left || input.grip.right;
  const selectPressed = anySelect && !state.anySelectBefore;
  state.anySelectBefore = anySelect;
  if (state.latched) {
    if (!anyInput) state.latched = false;
    state.pauseHeldS = 0;
    state.recenterHeldS = 0;
    return null;
  }
  const recenterHeld = bothGrips && input.graspArm === null;
  state.recenterHeldS = recenterHeld ? state.recenterHeldS + dt : 0;
  if (state.recenterHeldS >= RECENTER_HOLD_S) {
    state.latched = true;
    return 'recenter';
  }
  if (input.paused) {
    state.pauseHeldS = 0;
    return selectPressed && !bothGrips ? 'resume' : null;
  }
  const pauseHeld = input.menuButton || (left !== right && !bothGrips && !input.promptOpen);
  state.pauseHeldS = pauseHeld ? state.pauseHeldS + dt : 0;
  if (state.pauseHeldS >= PAUSE_HOLD_S) {
    state.latched = true;
    return 'pause';
  }
  return null;
}
