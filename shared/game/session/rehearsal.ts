import { DEFAULT_PLAN, type SessionPlan } from '../../clinical';
import type { Vec3, Workspace } from '../../protocol';
import type { SessionEvent } from './events';
import { createFrameInput } from './frame-input';
import { stepSession } from './machine';
import { createSession } from './state';

const FRAME_S = 1 / 72;
const REACH_S = 0.4;
/** Enough frames for the whole rehearsal at the limits below; it stops at the end anyway. */
const MAX_FRAMES = 72 * 120;

const REHEARSAL_ARM: Workspace = {
  arm: 'right',
  posture: 'seated',
  shoulder: [0.18, 1.4, 0],
  reach: { forward: 0.55, outward: 0.5, up: 0.4, across: 0.3 },
  measuredAt: '2026-01-01T00:00:00.000Z',
};

/** The standard reach test and one trial of each task: every path a real session's first minute takes. */
const REHEARSAL_PLAN: SessionPlan = {
  ...DEFAULT_PLAN,
  assessment: true,
  arm: 'right',
  tasks: [
    { task: 'touch', sets: 1, repetitions: 1 },
    { task: 'hold', sets: 1, repetitions: 1 },
    { task: 'grasp', sets: 1, repetitions: 1 },
  ],
};

/**
 * Plays a short session in memory with a simulated hand, before the patient enters VR: nothing is
 * shown, said or recorded (the effects are dropped). Why: the first trial boundaries of a fresh
 * page run cold code (placing the next target took 3.5 to 10.7 ms and judging about 1 ms on the
 * first boundaries of the headless benchmark, against a budget of 2 ms a frame), a hitch at the
 * patient's first reaches; rehearsed here, the engine compiles those paths while nothing is drawn.
 * Returns the outcomes of the trials judged, in order.
 */
export function rehearseSession(): string[] {
  let ids = 0;
  const state = createSession({
    mode: 'practice',
    live: false,
    plan: REHEARSAL_PLAN,
    levels: { right: 50 },
    calibration: { right: REHEARSAL_ARM },
    options: {
      instructionSeconds: 0.05,
      interTrialSeconds: 0.05,
      restSeconds: 0,
      holdSeconds: 0.2,
      calibrationHoldSeconds: 0.1,
      tasks: null,
      timeLimit: null,
      assessment: null,
    },
    ratings: { enabled: false, painPauseAt: 5 },
    seed: 1,
    newId: () => `rehearsal-${++ids}`,
  });
  const input = createFrameInput();
  input.inputMode = 'controllers';
  input.tracked.left = input.tracked.right = true;
  setPoint(input.head, [0, 1.2, 0]);
  const rest: Vec3 = [0.2, 1.0, -0.2];
  setPoint(input.effector.right, rest);
  setPoint(input.effector.left, [-0.2, 1.0, -0.2]);
  const outcomes: string[] = [];
  const frame: SessionEvent = { type: 'frame', input, now: 0 };
  const step = (event: SessionEvent) => {
    event.now = Math.round(input.t * 1000);
    for (const effect of stepSession(state, event))
      if (effect.type === 'record-trial') outcomes.push(effect.trial.outcome);
  };
  const tick = () => {
    input.t += FRAME_S;
    step(frame);
  };
  /** Moves the hand from where it is to `to` over REACH_S, one frame at a time. */
  const reach = (to: Vec3) => {
    const from: Vec3 = [...input.effector.right];
    const frames = Math.round(REACH_S / FRAME_S);
    for (let i = 1; i <= frames; i++) {
      const s = i / frames;
      const smooth = s * s * s * (10 - 15 * s + 6 * s * s);
      for (let k = 0; k < 3; k++) input.effector.right[k] = from[k]! + (to[k]! - from[k]!) * smooth;
      tick();
    }
  };
  for (let n = 0; n < MAX_FRAMES && state.phase !== 'ended'; n++) {
    if (state.phase !== 'running' || state.run === null) {
      tick();
      continue;
    }
    const task = state.run.task;
    if (task === 'grasp') {
      reach(state.objectStart);
      step({ type: 'object-contact', touching: true, now: 0 });
      input.grab.right = true;
      tick();
      reach(state.target);
      step({ type: 'goal-entered', now: 0 });
      input.grab.right = false;
    } else {
      reach(state.target);
      step({ type: 'target-entered', now: 0 });
      // A hold fills while the hand stays; a touch is over at once.
      while (state.phase === 'running') tick();
      step({ type: 'target-exited', now: 0 });
    }
    reach(rest);
  }
  return outcomes;
}

function setPoint(into: Vec3, from: Vec3): void {
  into[0] = from[0];
  into[1] = from[1];
  into[2] = from[2];
}
