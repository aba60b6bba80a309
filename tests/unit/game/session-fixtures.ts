import {
  DEFAULT_PLAN,
  heightOf,
  SECTOR_COUNT,
  type PersonalTrial,
  type SessionPlan,
} from '../../../shared/clinical';
import {
  createSession,
  stepSession,
  trialRun,
  type FrameInput,
  type SessionConfig,
  type SessionEffect,
  type SessionEvent,
  type SessionOptions,
  type SessionState,
  type UnstampedEvent,
} from '../../../shared/game/session';
import type { ControlCommand, Trial, Workspace } from '../../../shared/protocol';

/** The session tests' right arm: a seated adult's calibrated reach. */
export const workspace: Workspace = {
  arm: 'right',
  posture: 'seated',
  shoulder: [0.18, 1.4, 0],
  reach: { forward: 0.55, outward: 0.5, up: 0.4, across: 0.3 },
  measuredAt: '2026-01-01T00:00:00.000Z',
};

/** Short phases, so a test plays a session in a few simulated seconds. */
export const options: SessionOptions = {
  instructionSeconds: 1,
  interTrialSeconds: 0.5,
  restSeconds: null,
  holdSeconds: null,
  calibrationHoldSeconds: 1,
  tasks: null,
  timeLimit: null,
  assessment: null,
};

/** Both controllers tracked, resting low in front, nothing pressed. */
export function frameInput(inputMode: FrameInput['inputMode'] = 'controllers'): FrameInput {
  return {
    t: 0,
    head: [0, 1.6, 0],
    headQuaternion: [0, 0, 0, 1],
    effector: { left: [-0.2, 1.1, -0.2], right: [0.2, 1.1, -0.2] },
    tracked: { left: true, right: true },
    select: { left: false, right: false },
    grab: { left: false, right: false },
    gripGesture: { left: false, right: false },
    menuButton: false,
    inputMode,
  };
}

/** The wall clock of the tests' sessions: frame time t is this plus t seconds. */
export const T0 = Date.parse('2026-03-02T09:00:00.000Z');
export const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * A session machine and its input, driven as the headset drives it, with every effect kept in
 * order. Ids are numbered UUIDs, the wall clock follows the frame clock.
 */
export function playSession(
  plan: SessionPlan,
  config: Partial<SessionConfig> = {},
  input: FrameInput = frameInput(),
) {
  let ids = 0;
  const state: SessionState = createSession({
    mode: 'paired',
    live: true,
    plan,
    levels: { right: 50 },
    calibration: { right: workspace },
    options,
    ratings: { enabled: false, painPauseAt: 5 },
    seed: 1,
    newId: () => uuid(++ids),
    ...config,
  });
  /** Every effect so far; `log` the same, but a test may clear it to look at what follows. */
  const history: SessionEffect[] = [];
  const log: SessionEffect[] = [];
  const step = (event: UnstampedEvent): SessionEffect[] => {
    const effects = [
      ...stepSession(state, { ...event, now: T0 + Math.round(input.t * 1000) } as SessionEvent),
    ];
    log.push(...effects);
    history.push(...effects);
    return effects;
  };
  const of = <T extends SessionEffect['type']>(type: T) =>
    history.filter((e): e is Extract<SessionEffect, { type: T }> => e.type === type);
  return {
    state,
    input,
    log,
    step,
    view: () => state.view,
    frame: () => step({ type: 'frame', input }),
    /** Runs frames at 50 Hz up to time `until`. */
    runTo(until: number) {
      while (input.t < until - 1e-9) {
        input.t = Math.round((input.t + 0.02) * 1000) / 1000;
        step({ type: 'frame', input });
      }
    },
    /** A therapist's command; its answer (null when applied). */
    apply(command: ControlCommand): string | null {
      const answer = step({ type: 'command', command }).find((e) => e.type === 'command-result');
      if (answer?.type !== 'command-result') throw new Error('a command is always answered');
      return answer.error;
    },
    targetEntered: () => step({ type: 'target-entered' }),
    targetExited: () => step({ type: 'target-exited' }),
    objectContact: (touching: boolean) => step({ type: 'object-contact', touching }),
    goalEntered: () => step({ type: 'goal-entered' }),
    trialRun: () => trialRun(state),
    of,
    /** What went to the outbox, in order, as the old sink's names. */
    sent: () =>
      history.flatMap((e) =>
        e.type === 'session-started'
          ? ['session:start']
          : e.type === 'record-trial'
            ? ['trial:submit']
            : e.type === 'session-ended'
              ? [`session:end:${e.payload.reason}`]
              : e.type === 'calibration-saved'
                ? ['calibration:save']
                : [],
      ),
    trials: () => of('record-trial').map((e) => e.trial),
    said: () => of('speak').map((e) => e.text),
  };
}

export type PlayedSession = ReturnType<typeof playSession>;

/** Touch trials, each reached soon after it appears, until `count` are recorded; all recorded. */
export function playTouches(s: PlayedSession, count: number): Trial[] {
  let entered = -1;
  while (s.trials().length < count && s.view().status !== 'ended') {
    s.runTo(s.input.t + 0.02);
    if (s.view().status === 'running' && entered !== s.view().trialNumber) {
      entered = s.view().trialNumber;
      s.targetEntered();
    }
  }
  return s.trials();
}

/**
 * One set of touch trials placed by `placement`, without rest, and without the standard reach
 * test first: the placement tests are about adaptive trials.
 */
export const touchPlan = (
  placement: SessionPlan['placement'],
  repetitions: number,
): SessionPlan => ({
  ...DEFAULT_PLAN,
  tasks: [{ task: 'touch', sets: 1, repetitions }],
  restSeconds: 0,
  assessment: false,
  placement,
});

/**
 * A patient's right-arm trials from an earlier session: 20 in every sector, 30 % success up high
 * and 90 % elsewhere, so focus placement favours the "up" sectors. `movementTime` of the i-th
 * trial of a sector (seconds).
 */
export function earlierTrials(movementTime: (i: number) => number = () => 1): PersonalTrial[] {
  const trials: PersonalTrial[] = [];
  for (let sector = 0; sector < SECTOR_COUNT; sector++) {
    const hits = heightOf(sector) === 'up' ? 6 : 18;
    for (let i = 0; i < 20; i++)
      trials.push({
        sessionId: 'earlier',
        task: 'touch',
        arm: 'right',
        sector,
        outcome: i < hits ? 'hit' : 'miss_not_reached',
        metrics: { movementTime: movementTime(i), sparc: -1.8, pathRatio: 1.1 },
      });
  }
  return trials;
}
