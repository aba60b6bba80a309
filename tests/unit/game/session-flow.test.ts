import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DIFFICULTY, DEFAULT_PLAN, type SessionPlan } from '../../../shared/clinical';
import type { Arm, Calibration, Trial } from '../../../shared/protocol';
import { GameEngine } from '../../../client/patient/game/engine';
import { useGame } from '../../../client/patient/game/store';
import { decideResume, type ResumeSnapshot } from '../../../shared/game/session-resume';
import { frameInput, options, silent, workspace } from './engine-fixtures';

function setup(
  plan: SessionPlan,
  stored: { levels: Partial<Record<Arm, number>>; calibration: Calibration } = {
    levels: { right: 50 },
    calibration: { right: workspace },
  },
  resume: ResumeSnapshot | null = null,
) {
  const sent: string[] = [];
  const trials: Trial[] = [];
  const starts: { sessionId: string; startedAt: string }[] = [];
  const snapshots: Omit<ResumeSnapshot, 'patientId'>[] = [];
  const input = frameInput();
  const engine = new GameEngine({
    mode: 'paired',
    live: true,
    resume,
    plan,
    levels: stored.levels,
    calibration: stored.calibration,
    options,
    effects: silent,
    input,
    sink: {
      sessionStarted: (p) => {
        sent.push('session:start');
        starts.push(p);
      },
      progressed: (snapshot) => snapshots.push(structuredClone(snapshot)),
      trialFinished: (t) => {
        sent.push('trial:submit');
        trials.push(t);
      },
      sessionEnded: (p) => sent.push(`session:end:${p.reason}`),
      calibrationSaved: () => sent.push('calibration:save'),
    },
  });
  /** Runs frames at 50 Hz up to time `until`, moving the hand toward the target if `reach`. */
  const runTo = (until: number) => {
    while (input.t < until - 1e-9) {
      input.t = Math.round((input.t + 0.02) * 1000) / 1000;
      engine.frame(input);
    }
  };
  return { engine, input, sent, trials, starts, snapshots, runTo };
}

const plan: SessionPlan = {
  ...DEFAULT_PLAN,
  tasks: [{ task: 'touch', sets: 2, repetitions: 2 }],
  restSeconds: 5,
};

describe('session flow on the headset', () => {
  beforeEach(() =>
    useGame.setState({
      trials: [],
      score: 0,
      streak: 0,
      bestStreak: 0,
      summary: null,
      pausedBy: null,
      trialNumber: 0,
    }),
  );

  it('runs instructions, trials, a rest and the end, judging each trial with the clinical rule', () => {
    const { engine, sent, trials, runTo } = setup(plan);
    runTo(0.02);
    expect(useGame.getState().status).toBe('instructions');
    runTo(1.1);
    const running = useGame.getState();
    expect(running.status).toBe('running');
    expect(running.targets).toHaveLength(1);
    expect(running.params.timeLimit).toBe(3);

    runTo(1.8);
    engine.targetEntered();
    runTo(2.4); // contact + 0.5 s of settling
    expect(useGame.getState().trials).toHaveLength(1);
    expect(trials[0]).toMatchObject({
      outcome: 'hit',
      levelBefore: 50,
      levelAfter: 52,
      trialNumber: 1,
      set: 1,
    });
    expect(trials[0]!.tContact).toBeCloseTo(0.78, 6); // target shown at 1.02 s, touched at 1.8 s

    runTo(3.0); // inter-trial pause then the second target
    expect(useGame.getState().status).toBe('running');
    runTo(7); // never touched: times out after the 2.918 s limit
    expect(trials[1]).toMatchObject({
      outcome: 'miss_not_reached',
      levelBefore: 52,
      levelAfter: 46,
    });
    expect(trials[1]!.reason).toContain('a miss');

    expect(useGame.getState()).toMatchObject({
      status: 'rest',
      restSecondsLeft: expect.any(Number),
    });
    runTo(12.5);
    expect(useGame.getState().status).not.toBe('rest');
    expect(useGame.getState().set).toBe(2);

    expect(engine.apply({ type: 'end' })).toBeNull();
    const ended = useGame.getState();
    expect(ended.status).toBe('ended');
    expect(ended.summary).toMatchObject({
      trials: 2,
      hits: 1,
      levelStart: 50,
      levelEnd: 46,
      bestStreak: 1,
    });
    expect(sent).toEqual([
      'session:start',
      'trial:submit',
      'trial:submit',
      'session:end:therapist',
    ]);
  });

  it('pauses (abandoning the running trial), resumes with a fresh target, and applies commands', () => {
    const { engine, trials, runTo } = setup(plan);
    runTo(1.2);
    expect(useGame.getState().status).toBe('running');
    expect(engine.apply({ type: 'pause' })).toBeNull();
    expect(useGame.getState()).toMatchObject({
      status: 'paused',
      pausedBy: 'therapist',
      targets: [],
    });
    runTo(10);
    expect(trials).toHaveLength(0);
    expect(engine.apply({ type: 'pause' })).toBeNull();
    expect(engine.apply({ type: 'resume' })).toBeNull();
    expect(useGame.getState()).toMatchObject({ status: 'instructions', pausedBy: null });
    expect(engine.apply({ type: 'resume' })).toBe('the session is not paused');

    expect(engine.apply({ type: 'setTask', task: 'hold' })).toBeNull();
    expect(useGame.getState().task).toBe('hold');
    expect(engine.apply({ type: 'setDifficulty', arm: 'right', change: { level: 20 } })).toBeNull();
    expect(useGame.getState().level).toBe(20);
    expect(useGame.getState().params.distanceFraction).toBeCloseTo(0.51, 12);
    expect(
      engine.apply({ type: 'setDifficulty', arm: 'right', change: { minLevel: 30 } }),
    ).toBeNull();
    expect(useGame.getState().level).toBe(30);
    expect(engine.apply({ type: 'setArm', arm: 'left' })).toBeNull();
    // no calibration for the left arm yet: it is measured first
    expect(useGame.getState()).toMatchObject({ status: 'calibrating', arm: 'left' });
  });

  it("keeps each arm's settings, level and bounds apart, from the plan to a live change", () => {
    const perArm: SessionPlan = {
      ...plan,
      difficulty: {
        left: { ...DEFAULT_DIFFICULTY, minLevel: 0, maxLevel: 30 },
        right: {
          ...DEFAULT_DIFFICULTY,
          minLevel: 60,
          maxLevel: 100,
          radius: { easy: 0.1, hard: 0.1 },
        },
      },
      startLevel: { left: 10, right: 80 },
    };
    // a new patient: no stored level, each arm starts at the plan's own starting level
    const { engine, runTo } = setup(perArm, {
      levels: {},
      calibration: { right: workspace, left: workspace },
    });
    runTo(0.5);
    expect(useGame.getState()).toMatchObject({ arm: 'right', level: 80 });
    expect(useGame.getState().params.targetRadius).toBe(0.1);
    // a change to the left arm leaves the right arm (in play) as it is
    expect(
      engine.apply({ type: 'setDifficulty', arm: 'left', change: { level: 25, maxLevel: 20 } }),
    ).toBeNull();
    expect(useGame.getState()).toMatchObject({ arm: 'right', level: 80 });
    expect(useGame.getState().params.targetRadius).toBe(0.1);
    // the left arm plays its own settings: level 25 clamped to its new maximum 20
    expect(engine.apply({ type: 'setArm', arm: 'left' })).toBeNull();
    const left = useGame.getState();
    expect(left.level).toBe(20);
    expect(left.params.targetRadius).toBeCloseTo(0.08 * (0.02 / 0.08) ** 0.2, 12);
    // bounds checked against the arm's own settings: left max is 20, right min is 60
    expect(engine.apply({ type: 'setDifficulty', arm: 'left', change: { minLevel: 50 } })).toMatch(
      /minLevel must not exceed maxLevel/,
    );
    expect(
      engine.apply({ type: 'setDifficulty', arm: 'right', change: { maxLevel: 70 } }),
    ).toBeNull();
  });

  it('pauses when time is up and ends on resume', () => {
    const { engine, sent, runTo } = setup({
      ...plan,
      maxMinutes: 1,
      restSeconds: 0,
      tasks: [{ task: 'touch', sets: 1, repetitions: 100 }],
    });
    runTo(70);
    expect(useGame.getState()).toMatchObject({ status: 'paused', pausedBy: 'time_up' });
    engine.resume();
    expect(useGame.getState().status).toBe('ended');
    expect(sent.at(-1)).toBe('session:end:time_up');
  });

  it('takes a session up again after a reload: same id, the set and trial where it stopped, the level reached', () => {
    const first = setup(plan);
    first.runTo(1.8);
    first.engine.targetEntered();
    first.runTo(12.5); // trial 1 hit, trial 2 missed, the rest, set 2's instructions
    expect(useGame.getState().set).toBe(2);
    first.engine.pause('focus_lost'); // the page is reloaded
    const saved = first.snapshots.at(-1)!;
    expect(saved).toMatchObject({
      sessionId: first.engine.sessionId,
      startedAt: first.starts[0]!.startedAt,
      trialsDone: 2,
      restsDone: 1,
      levels: { right: 46 },
      levelStart: 50,
      score: expect.any(Number),
      bestStreak: 1,
    });
    expect(saved.summaryTrials.map((t) => t.outcome)).toEqual(['hit', 'miss_not_reached']);

    useGame.setState({ trials: [], score: 0, streak: 0, bestStreak: 0, trialNumber: 0, set: 1 });
    const decision = decideResume(
      { ...saved, patientId: 'p1' },
      { nowMs: Date.parse(saved.savedAt) + 60_000, patientId: 'p1', plan },
    );
    expect(decision.kind).toBe('resume');
    if (decision.kind !== 'resume') return;
    const second = setup(plan, undefined, decision.snapshot);
    expect(second.engine.sessionId).toBe(first.engine.sessionId);
    second.runTo(0.02);
    expect(second.starts).toEqual([first.starts[0]]);
    expect(useGame.getState()).toMatchObject({
      status: 'instructions',
      set: 2,
      level: 46,
      trialNumber: 2,
      bestStreak: 1,
    });
    second.runTo(1.8);
    second.engine.targetEntered();
    second.runTo(2.4);
    expect(second.trials.map((t) => [t.sessionId, t.trialNumber, t.set, t.levelBefore])).toEqual([
      [first.engine.sessionId, 3, 2, 46],
    ]);
    expect(second.engine.apply({ type: 'end' })).toBeNull();
    expect(useGame.getState().summary).toMatchObject({ trials: 3, hits: 2, levelStart: 50 });
    expect(second.sent).toEqual(['session:start', 'trial:submit', 'session:end:therapist']);
    // Once ended, nothing is left to resume: the last snapshot is the one before the end.
    expect(second.snapshots.at(-1)!.trialsDone).toBe(3);
  });
});
