import { describe, expect, it } from 'vitest';
import {
  createGestureState,
  PAUSE_HOLD_S,
  RECENTER_HOLD_S,
  stepGestures,
  type GestureAction,
  type GestureInput,
} from '../../../shared/game/gestures';

const idle = (): GestureInput => ({
  menuButton: false,
  select: { left: false, right: false },
  grip: { left: false, right: false },
  graspArm: null,
  paused: false,
  promptOpen: false,
});

/** Runs `seconds` of 0.1 s frames with `input`; returns the actions taken, in order. */
function hold(
  state: ReturnType<typeof createGestureState>,
  input: GestureInput,
  seconds: number,
): GestureAction[] {
  const actions: GestureAction[] = [];
  for (let i = 0; i < Math.round(seconds * 10); i++) {
    const action = stepGestures(state, input, 0.1);
    if (action !== null) actions.push(action);
  }
  return actions;
}

const pinch = (side: 'left' | 'right'): GestureInput => ({
  ...idle(),
  select: { left: side === 'left', right: side === 'right' },
  grip: { left: side === 'left', right: side === 'right' },
});

describe('stepGestures', () => {
  it('does not pause on a trigger or pinch held to drag a slider of the set-end prompt', () => {
    const dragging = { ...pinch('right'), promptOpen: true };
    expect(hold(createGestureState(), dragging, 3 * PAUSE_HOLD_S)).toEqual([]);
    // B or Y still pauses with the prompt open.
    expect(
      hold(createGestureState(), { ...idle(), promptOpen: true, menuButton: true }, 2),
    ).toEqual(['pause']);
  });

  it('pauses after a 1.5 s pinch on either hand, once, not before', () => {
    for (const side of ['left', 'right'] as const) {
      const state = createGestureState();
      expect(hold(state, pinch(side), PAUSE_HOLD_S - 0.1)).toEqual([]);
      expect(hold(state, pinch(side), 0.1)).toEqual(['pause']);
      expect(hold(state, pinch(side), 5)).toEqual([]);
    }
  });

  it('pauses after B or Y held 1.5 s', () => {
    const state = createGestureState();
    expect(hold(state, { ...idle(), menuButton: true }, 1.5)).toEqual(['pause']);
  });

  it('restarts the count when the pinch is let go early', () => {
    const state = createGestureState();
    expect(hold(state, pinch('right'), 1)).toEqual([]);
    expect(hold(state, idle(), 0.1)).toEqual([]);
    expect(hold(state, pinch('right'), 1)).toEqual([]);
  });

  it('leaves the grasping hand to the task, the other hand can still pause', () => {
    const state = createGestureState();
    expect(hold(state, { ...pinch('right'), graspArm: 'right' }, 5)).toEqual([]);
    expect(hold(state, { ...pinch('left'), graspArm: 'right' }, 1.5)).toEqual(['pause']);
  });

  it('resumes on a fresh pinch after the pausing pinch is released, not on the release', () => {
    const state = createGestureState();
    expect(hold(state, pinch('left'), 1.5)).toEqual(['pause']);
    const paused = (input: GestureInput) => ({ ...input, paused: true });
    expect(hold(state, paused(pinch('left')), 1)).toEqual([]);
    expect(hold(state, paused(idle()), 0.5)).toEqual([]);
    expect(hold(state, paused(pinch('right')), 0.1)).toEqual(['resume']);
  });

  it('recenters after both pinches or both grips held 2 s, without pausing on the way', () => {
    const both: GestureInput = {
      ...idle(),
      select: { left: true, right: true },
      grip: { left: true, right: true },
    };
    let state = createGestureState();
    expect(hold(state, both, RECENTER_HOLD_S - 0.1)).toEqual([]);
    expect(hold(state, both, 0.1)).toEqual(['recenter']);
    expect(hold(state, both, 3)).toEqual([]);
    state = createGestureState();
    const grips: GestureInput = { ...idle(), grip: { left: true, right: true } };
    expect(hold(state, grips, 2)).toEqual(['recenter']);
  });
});
