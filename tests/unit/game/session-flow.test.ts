import { describe, expect, it } from 'vitest';
import { DEFAULT_DIFFICULTY, DEFAULT_PLAN, type SessionPlan } from '../../../shared/clinical';
import type { Arm, Calibration } from '../../../shared/protocol';
import { decideResume, type ResumeSnapshot } from '../../../shared/game/session-resume';
import { playSession, workspace } from './session-fixtures';

function setup(
  plan: SessionPlan,
  stored: { levels: Partial<Record<Arm, number>>; calibration: Calibration } = {
    levels: { right: 50 },
    calibration: { right: workspace },
  },
  resume: ResumeSnapshot | null = null,
) {
  const session = playSession(plan, { ...stored, resume });
  return {
    ...session,
    get sent() {
      return session.sent();
    },
    get trials() {
      return session.trials();
    },
    get starts() {
      return session.of('session-started').map((e) => e.payload);
    },
    get snapshots() {
      return session.of('progress').map((e) => e.snapshot);
    },
  };
}

const plan: SessionPlan = {
  ...DEFAULT_PLAN,
  assessment: false,
  tasks: [{ task: 'touch', sets: 2, repetitions: 2 }],
  restSeconds: 5,
};

describe('session flow on the headset', () => {
  it('runs instructions, trials, a rest and the end, judging each trial with the clinical rule', () => {
    const session = setup(plan);
    const { view, apply, targetEntered, runTo } = session;
    runTo(0.02);
    expect(view().status).toBe('instructions');
    runTo(1.1);
    const running = view();
    expect(running.status).toBe('running');
    expect(running.targets).toHaveLength(1);
    expect(running.params.timeLimit).toBe(3);

    runTo(1.8);
    targetEntered();
    runTo(2.4); // contact + 0.5 s of settling
    expect(view().trials).toHaveLength(1);
    expect(session.trials[0]).toMatchObject({
      outcome: 'hit',
      levelBefore: 50,
      levelAfter: 52,
      trialNumber: 1,
      set: 1,
    });
    expect(session.trials[0]!.tContact).toBeCloseTo(0.78, 6); // target shown at 1.02 s, touched at 1.8 s

    runTo(3.0); // inter-trial pause then the second target
    expect(view().status).toBe('running');
    runTo(7); // never touched: times out after the 2.918 s limit
    expect(session.trials[1]).toMatchObject({
      outcome: 'miss_not_reached',
      levelBefore: 52,
      levelAfter: 46,
    });
    expect(session.trials[1]!.reason).toContain('a miss');

    expect(view()).toMatchObject({
      status: 'rest',
      restSecondsLeft: expect.any(Number),
    });
    runTo(12.5);
    expect(view().status).not.toBe('rest');
    expect(view().set).toBe(2);

    expect(apply({ type: 'end' })).toBeNull();
    const ended = view();
    expect(ended.status).toBe('ended');
    expect(ended.summary).toMatchObject({
      trials: 2,
      hits: 1,
      levelStart: 50,
      levelEnd: 46,
      bestStreak: 1,
    });
    expect(session.sent).toEqual([
      'session:start',
      'trial:submit',
      'trial:submit',
      'session:end:therapist',
    ]);
  });

  it('pauses (abandoning the running trial), resumes with a fresh target, and applies commands', () => {
    const session = setup(plan);
    const { view, apply, runTo } = session;
    runTo(1.2);
    expect(view().status).toBe('running');
    expect(apply({ type: 'pause' })).toBeNull();
    expect(view()).toMatchObject({
      status: 'paused',
      pausedBy: 'therapist',
      targets: [],
    });
    runTo(10);
    expect(session.trials).toHaveLength(0);
    expect(apply({ type: 'pause' })).toBeNull();
    expect(apply({ type: 'resume' })).toBeNull();
    expect(view()).toMatchObject({ status: 'instructions', pausedBy: null });
    expect(apply({ type: 'resume' })).toBe('the session is not paused');

    expect(apply({ type: 'setTask', task: 'hold' })).toBeNull();
    expect(view().task).toBe('hold');
    expect(apply({ type: 'setDifficulty', arm: 'right', change: { level: 20 } })).toBeNull();
    expect(view().level).toBe(20);
    expect(view().params.distanceFraction).toBeCloseTo(0.51, 12);
    expect(apply({ type: 'setDifficulty', arm: 'right', change: { minLevel: 30 } })).toBeNull();
    expect(view().level).toBe(30);
    expect(apply({ type: 'setArm', arm: 'left' })).toBeNull();
    // no calibration for the left arm yet: it is measured first
    expect(view()).toMatchObject({ status: 'calibrating', arm: 'left' });
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
    const { view, apply, runTo } = setup(perArm, {
      levels: {},
      calibration: { right: workspace, left: workspace },
    });
    runTo(0.5);
    expect(view()).toMatchObject({ arm: 'right', level: 80 });
    expect(view().params.targetRadius).toBe(0.1);
    // a change to the left arm leaves the right arm (in play) as it is
    expect(
      apply({ type: 'setDifficulty', arm: 'left', change: { level: 25, maxLevel: 20 } }),
    ).toBeNull();
    expect(view()).toMatchObject({ arm: 'right', level: 80 });
    expect(view().params.targetRadius).toBe(0.1);
    // the left arm plays its own settings: level 25 clamped to its new maximum 20
    expect(apply({ type: 'setArm', arm: 'left' })).toBeNull();
    const left = view();
    expect(left.level).toBe(20);
    expect(left.params.targetRadius).toBeCloseTo(0.08 * (0.02 / 0.08) ** 0.2, 12);
    // bounds checked against the arm's own settings: left max is 20, right min is 60
    expect(apply({ type: 'setDifficulty', arm: 'left', change: { minLevel: 50 } })).toMatch(
      /minLevel must not exceed maxLevel/,
    );
    expect(apply({ type: 'setDifficulty', arm: 'right', change: { maxLevel: 70 } })).toBeNull();
  });

  it('pauses when time is up and ends on resume', () => {
    const session = setup({
      ...plan,
      maxMinutes: 1,
      restSeconds: 0,
      tasks: [{ task: 'touch', sets: 1, repetitions: 100 }],
    });
    const { view, runTo } = session;
    runTo(70);
    expect(view()).toMatchObject({ status: 'paused', pausedBy: 'time_up' });
    session.step({ type: 'gesture', action: 'resume' });
    expect(view().status).toBe('ended');
    expect(session.sent.at(-1)).toBe('session:end:time_up');
  });

  it('takes a session up again after a reload: same id, the set and trial where it stopped, the level reached', () => {
    const first = setup(plan);
    first.runTo(1.8);
    first.targetEntered();
    first.runTo(12.5); // trial 1 hit, trial 2 missed, the rest, set 2's instructions
    expect(first.view().set).toBe(2);
    first.step({ type: 'pause', by: 'focus_lost' }); // the page is reloaded
    const saved = first.snapshots.at(-1)!;
    expect(saved).toMatchObject({
      sessionId: first.state.sessionId,
      startedAt: first.starts[0]!.startedAt,
      trialsDone: 2,
      restsDone: 1,
      levels: { right: 46 },
      levelStart: 50,
      score: expect.any(Number),
      bestStreak: 1,
    });
    expect(saved.summaryTrials.map((t) => t.outcome)).toEqual(['hit', 'miss_not_reached']);

    const decision = decideResume(
      { ...saved, patientId: 'p1' },
      { nowMs: Date.parse(saved.savedAt) + 60_000, patientId: 'p1', plan },
    );
    expect(decision.kind).toBe('resume');
    if (decision.kind !== 'resume') return;
    const second = setup(plan, undefined, decision.snapshot);
    expect(second.state.sessionId).toBe(first.state.sessionId);
    second.runTo(0.02);
    expect(second.starts).toEqual([first.starts[0]]);
    expect(second.view()).toMatchObject({
      status: 'instructions',
      set: 2,
      level: 46,
      trialNumber: 2,
      bestStreak: 1,
    });
    second.runTo(1.8);
    second.targetEntered();
    second.runTo(2.4);
    expect(second.trials.map((t) => [t.sessionId, t.trialNumber, t.set, t.levelBefore])).toEqual([
      [first.state.sessionId, 3, 2, 46],
    ]);
    expect(second.apply({ type: 'end' })).toBeNull();
    expect(second.view().summary).toMatchObject({ trials: 3, hits: 2, levelStart: 50 });
    expect(second.sent).toEqual(['session:start', 'trial:submit', 'session:end:therapist']);
    // Once ended, nothing is left to resume: the last snapshot is the one before the end.
    expect(second.snapshots.at(-1)!.trialsDone).toBe(3);
  });
});
