import { calibrate } from './calibration-step';
import { applyCommand } from './control';
import type { SessionEffect } from './effects';
import { emit, publish } from './emit';
import type { SessionEvent } from './events';
import { advance, beginSession, pause, rest, resume, saveProgress } from './flow';
import { copyFrameInput, type FrameInput } from './frame-input';
import { afterTrial, ratingDueAfter, rate } from './ratings';
import type { SessionState } from './state';
import {
  beginTrial,
  concludeTrial,
  feedbackFrame,
  goalEntered,
  objectContact,
  runTrial,
  targetEntered,
  targetExited,
} from './trial-step';

/**
 * The second half of a trial's boundary: the plan goes on from the trial judged in the step
 * before (its set's rating prompt, the next target, a rest or the end). Split from the judging so
 * that neither frame does both (the headset's per-frame budget).
 */
function goOnAfterJudged(state: SessionState): void {
  afterTrial(state);
}

/** Frames further apart than this (a stall, a paused tab) count as this long. */
const MAX_FRAME_SECONDS = 0.25;

function frame(state: SessionState, from: FrameInput): void {
  const input = state.input;
  copyFrameInput(from, input);
  if (state.phase === 'idle') {
    beginSession(state);
    return;
  }
  const dt = state.lastT < 0 ? 0 : Math.max(0, Math.min(MAX_FRAME_SECONDS, input.t - state.lastT));
  state.lastT = input.t;
  const arm = state.view.arm;
  const other = arm === 'right' ? 'left' : 'right';
  if (state.phase !== 'paused' && state.phase !== 'ended') {
    state.recorder.push(input.t, input.effector[arm], input.effector[other], input.head);
    state.elapsed += dt;
  }
  const select = input.select[arm];
  const selectEdge = select && !state.lastSelect;
  state.lastSelect = select;
  const grab = input.grab[arm] || select;
  const grabEdge = grab && !state.lastGrab;
  const releaseEdge = !grab && state.lastGrab;
  state.lastGrab = grab;

  switch (state.phase) {
    case 'calibrating':
      if (calibrate(state, selectEdge)) advance(state);
      break;
    case 'instructions':
      if (input.t >= state.phaseEndsAt) beginTrial(state);
      break;
    case 'running':
      runTrial(state, grabEdge, releaseEdge);
      break;
    case 'feedback':
      if (feedbackFrame(state, releaseEdge)) {
        concludeTrial(state);
        state.ratingDue = ratingDueAfter(state, state.step!);
        state.phase = 'judged';
        // The record and a snapshot that counts it (and the set's rating it makes due) go
        // together: a reload before the next frame resumes after this trial, never plays it
        // twice, and asks the rating.
        saveProgress(state);
      }
      break;
    case 'judged':
      goOnAfterJudged(state);
      break;
    case 'rest':
      rest(state);
      break;
    default:
      break;
  }
  const view = state.view;
  const elapsedSeconds = Math.floor(state.elapsed);
  if (elapsedSeconds !== view.elapsedSeconds || input.inputMode !== view.inputMode)
    publish(state, { elapsedSeconds, inputMode: input.inputMode });
}

type Handlers = {
  [K in SessionEvent['type']]: (
    state: SessionState,
    event: Extract<SessionEvent, { type: K }>,
  ) => void;
};

/** What each event does to the session. */
const HANDLERS: Handlers = {
  frame: (state, event) => frame(state, event.input),
  'target-entered': targetEntered,
  'target-exited': targetExited,
  'object-contact': (state, event) => objectContact(state, event.touching),
  'goal-entered': goalEntered,
  command: (state, event) => applyCommand(state, event.command),
  gesture: (state, { action }) => {
    if (action === 'pause') pause(state, 'patient');
    else if (action === 'resume') resume(state);
    else emit(state, { type: 'recenter' });
  },
  pause: (state, event) => pause(state, event.by),
  rating: (state, event) => rate(state, event.effort, event.pain),
  // The next instruction uses them; the one shown stays until then (the same shapes are drawn).
  dress: (state, event) => {
    state.things = event.things;
  },
};

/**
 * The session on the headset as one transition: the event moves the state (written in place, so
 * a frame allocates nothing) and the returned effects say what the world must do, in order. The
 * returned array is reused: it holds this step's effects until the next step.
 */
export function stepSession(state: SessionState, event: SessionEvent): readonly SessionEffect[] {
  state.effects.length = 0;
  state.now = event.now;
  // Any other event (a command, a pause, a rating, a contact) sees the session as it was before
  // the split: the boundary is completed first, so it acts exactly as it always did.
  if (state.phase === 'judged' && event.type !== 'frame') goOnAfterJudged(state);
  (HANDLERS[event.type] as (state: SessionState, event: SessionEvent) => void)(state, event);
  return state.effects;
}
