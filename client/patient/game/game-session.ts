import { createGestureState, stepGestures, type GestureInput } from '../../../shared/game/gestures';
import {
  activeArm,
  aimPoint,
  createFrameInput,
  createSession,
  graspingArm,
  holdingObject,
  plannedTrials,
  stepSession,
  trialRun,
  upcomingTarget,
  type FrameInput,
  type SessionConfig,
  type SessionEffect,
  type SessionEvent,
  type SessionState,
  type SessionView,
  type SetRating,
  type UnstampedEvent,
} from '../../../shared/game/session';
import { createViewPointer, type ViewPointer } from '../../../shared/game/view';
import type { Arm, Calibration, ControlCommand, Trial, Vec3 } from '../../../shared/protocol';
import type { ResumeSnapshot } from '../../../shared/game/session-resume';
import type { TrialRun } from '../../../shared/game/tasks';
import { createAfterFrameQueue, type AfterFrameQueue } from './after-frame';
import { toWorld, type PlayAnchor } from './anchor';
import type { GameOutput } from './effects';
import type { GameSnapshot, GameStore } from './store';

/** Where the session's records go: the outbox when paired, nowhere in practice. */
export interface SessionSink {
  sessionStarted(payload: { sessionId: string; mode: 'live' | 'home'; startedAt: string }): void;
  trialFinished(trial: Trial): void;
  sessionEnded(payload: {
    sessionId: string;
    endedAt: string;
    reason: 'plan_complete' | 'time_up' | 'patient' | 'therapist';
  }): void;
  calibrationSaved(calibration: Calibration): void;
  /**
   * The session made progress (started, a trial or a rest done, a change applied): what a reloaded
   * page needs to take it up again. Not called once it has ended.
   */
  progressed?(snapshot: Omit<ResumeSnapshot, 'patientId'>): void;
  /** The patient rated a set (or skipped the prompt). */
  setRated(rating: SetRating): void;
}

/**
 * The headset's side of the session machine (shared/game/session): feeds it the frame loop's
 * tracking and the page's events, and carries out its effects (store, sound, speech, haptics,
 * records, recenter). No game rule lives here.
 */
export interface GameSession {
  readonly sessionId: string;
  readonly plannedTrials: number;
  readonly store: GameStore;
  /** This frame's tracking, written in place by the input reader before `frame()`. */
  readonly input: FrameInput;
  readonly anchor: PlayAnchor;
  /** The off-view pointer's pose this frame (written by the scene, read by the test handle). */
  readonly pointer: ViewPointer;
  /** Runs the machine on `input` (once per XR frame; allocates nothing unless something changed). */
  frame(): void;
  /** The patient's pause, resume and recenter gestures, on the render loop's clock. */
  gestures(delta: number): void;
  /** Any other event of the page: physics contacts, automatic pauses, the set-end rating. */
  dispatch(event: UnstampedEvent): void;
  /** A therapist's command; null when applied, else why not. */
  command(command: ControlCommand): string | null;
  activeArm(): Arm;
  trialRun(): TrialRun | null;
  upcomingTarget(): Vec3 | null;
  holdingObject(): boolean;
  /** Where the patient should look now (the off-view pointer aims there), or null. */
  aimPoint(): Vec3 | null;
  /**
   * Carries out at once what the frames left for after them (records, progress, speech): the page
   * is being hidden or unloaded.
   */
  settle(): void;
}

type EffectHandlers = {
  [K in SessionEffect['type']]: (effect: Extract<SessionEffect, { type: K }>) => void;
};

export interface GameSessionDeps {
  config: SessionConfig;
  store: GameStore;
  anchor: PlayAnchor;
  output: GameOutput;
  sink: SessionSink;
  /** Where records, progress and speech wait for the frame to end (a task of their own by default). */
  afterFrame?: AfterFrameQueue;
}

export function createGameSession({
  config,
  store,
  anchor,
  output,
  sink,
  afterFrame = createAfterFrameQueue(),
}: GameSessionDeps): GameSession {
  const state: SessionState = createSession(config);
  const input = createFrameInput();
  const frameEvent = { type: 'frame' as const, input, now: 0 };
  const gestureState = createGestureState();
  const gestureInput: GestureInput = {
    menuButton: false,
    select: input.select,
    grip: input.gripGesture,
    graspArm: null,
    paused: false,
    promptOpen: false,
  };

  const publish = (patch: Partial<SessionView>) => {
    const { targets, ...rest } = patch;
    const next: Partial<GameSnapshot> = rest;
    if (targets !== undefined)
      next.targets = targets.map((t) => ({ ...t, worldPosition: toWorld(anchor, t.position) }));
    store.setState(next);
  };

  const later = (job: () => void) => afterFrame.push(job);
  /**
   * How each effect is carried out (a command's answer is returned by `perform`). What the scene
   * shows and the patient hears or feels at once (store, sounds, pulses) happens in the frame;
   * records, storage and speech wait for the frame's end, in order.
   */
  const handlers: EffectHandlers = {
    publish: (e) => publish(e.patch),
    sound: (e) => output.play(e.sound, e.at),
    haptic: (e) => output.pulse(e.arm, e.intensity, e.ms),
    speak: (e) => later(() => output.say(e.text)),
    'session-started': (e) => later(() => sink.sessionStarted(e.payload)),
    'record-trial': (e) => later(() => sink.trialFinished(e.trial)),
    'session-ended': (e) => later(() => sink.sessionEnded(e.payload)),
    'calibration-saved': (e) => later(() => sink.calibrationSaved(e.calibration)),
    progress: (e) => later(() => sink.progressed?.(e.snapshot)),
    'record-rating': (e) => later(() => sink.setRated(e.rating)),
    recenter: () => {
      anchor.due = true;
    },
    'command-result': () => {},
  };

  /**
   * Carries out one step's effects in order; returns a command's answer if there was one. A copy:
   * a store listener may feed the machine again, which reuses its effects array.
   */
  const perform = (stepEffects: readonly SessionEffect[]): string | null => {
    const effects = stepEffects.slice();
    let answer: string | null = null;
    for (let i = 0; i < effects.length; i++) {
      const effect = effects[i]!;
      if (effect.type === 'command-result') answer = effect.error;
      (handlers[effect.type] as (effect: SessionEffect) => void)(effect);
    }
    return answer;
  };

  const dispatch = (event: UnstampedEvent) =>
    perform(stepSession(state, { ...event, now: Date.now() } as SessionEvent));

  // A new session shows no target yet: only its id, arm, task and level (a resumed one its score).
  store.setState({ ...state.view, targets: [] });

  return {
    sessionId: state.sessionId,
    plannedTrials: plannedTrials(state),
    store,
    input,
    anchor,
    pointer: createViewPointer(),
    frame() {
      frameEvent.now = Date.now();
      const effects = stepSession(state, frameEvent);
      if (effects.length > 0) perform(effects);
    },
    gestures(delta) {
      gestureInput.menuButton = input.menuButton;
      gestureInput.graspArm = graspingArm(state);
      gestureInput.paused = state.view.status === 'paused';
      gestureInput.promptOpen = state.view.status === 'rating';
      const action = stepGestures(gestureState, gestureInput, delta);
      if (action !== null) dispatch({ type: 'gesture', action });
    },
    dispatch: (event) => void dispatch(event),
    command: (command) => dispatch({ type: 'command', command }),
    activeArm: () => activeArm(state),
    trialRun: () => trialRun(state),
    upcomingTarget: () => upcomingTarget(state),
    holdingObject: () => holdingObject(state),
    aimPoint: () => aimPoint(state),
    settle: () => afterFrame.flush(),
  };
}
