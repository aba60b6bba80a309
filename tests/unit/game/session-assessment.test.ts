import { describe, expect, it } from 'vitest';
import {
  ASSESSMENT_PARAMS,
  ASSESSMENT_REASON,
  assessmentBlock,
  assessmentUpdate,
  DEFAULT_DIFFICULTY,
  DEFAULT_PLAN,
  updateDifficulty,
  type SessionPlan,
} from '../../../shared/clinical';
import { sessionProgress } from '../../../shared/game/progress';
import { decideResume, parseResumeSnapshot } from '../../../shared/game/session-resume';
import { EMPTY_PROGRESS_HISTORY } from '../../../shared/protocol/progress';
import { sessionPlanOf } from '../../../shared/game/session';
import { WARM_UP_WORDS } from '../../../shared/game/session/trial-step';
import type { Workspace } from '../../../shared/protocol';
import { options, playSession, workspace } from './session-fixtures';

const plan: SessionPlan = {
  ...DEFAULT_PLAN,
  assessment: true,
  restSeconds: 0,
  tasks: [{ task: 'touch', sets: 1, repetitions: 2 }],
};
const leftWorkspace: Workspace = { ...workspace, arm: 'left', shoulder: [-0.18, 1.4, 0] };
const bothArms: SessionPlan = { ...plan, arm: 'alternate', firstArm: 'left' };
const bothCalibrated = { calibration: { right: workspace, left: leftWorkspace } };

type Session = ReturnType<typeof playSession>;

/** Plays the next trial: waits for its target, touches it (or lets it time out) until recorded. */
function playTrial(s: Session, touch = true): void {
  const recorded = s.trials().length;
  while (s.view().status !== 'running') s.runTo(s.input.t + 0.02);
  if (touch) {
    s.runTo(s.input.t + 0.3);
    s.targetEntered();
  }
  while (s.trials().length === recorded) s.runTo(s.input.t + 0.02);
  // The plan goes on (the next target, or the end) in the frame after the record.
  s.runTo(s.input.t + 0.02);
}

/** Where a recorded trial's target stands in the session's block (its playing order). */
const blockIndexOf = (s: Session, trialNumber: number) =>
  s.state.assessmentTargets!.findIndex((t) => t.position === s.trials()[trialNumber - 1]!.target);

describe('the session machine: the standard reach test', () => {
  it('starts with 8 fixed targets per arm of the plan, in the seeded order, then the sets', () => {
    const s = playSession(bothArms, bothCalibrated);
    for (let i = 0; i < 18; i++) playTrial(s);
    const trials = s.trials();
    expect(trials.map((t) => t.assessment)).toEqual([
      ...Array<boolean>(16).fill(true),
      false,
      false,
    ]);
    // The block: the first arm's 8, then the other's; each a touch of the core's target.
    expect(trials.slice(0, 16).map((t) => t.arm)).toEqual([
      ...Array<string>(8).fill('left'),
      ...Array<string>(8).fill('right'),
    ]);
    const block = assessmentBlock(s.state.workspaces, ['left', 'right'], 1).targets;
    expect(trials.slice(0, 16).map((t) => t.target)).toEqual(block.map((t) => t.position));
    for (const arm of ['left', 'right'] as const)
      expect(
        block
          .filter((t) => t.arm === arm)
          .map((t) => t.direction)
          .sort(),
      ).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(trials.slice(0, 16).every((t) => t.task === 'touch' && t.set === 1)).toBe(true);
    expect(trials.map((t) => t.trialNumber)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(s.view().status).toBe('ended');
  });

  it('plays the fixed size and time limit and never moves the level; the sets then adapt', () => {
    const s = playSession(plan, { levels: { right: 62 } });
    s.runTo(0.02);
    expect(s.view()).toMatchObject({ params: ASSESSMENT_PARAMS, level: 62 });
    expect(s.view().instruction.startsWith(WARM_UP_WORDS)).toBe(true);
    expect(s.said()[0]).toBe(s.view().instruction);
    // Hits and misses alike: the level stays at 62 through the block.
    for (let i = 0; i < 8; i++) playTrial(s, i % 2 === 0);
    const block = s.trials();
    expect(block.map((t) => [t.levelBefore, t.levelAfter])).toEqual(
      Array.from({ length: 8 }, () => [62, 62]),
    );
    expect(block.map((t) => t.outcome)).toEqual([
      'hit',
      'miss_not_reached',
      'hit',
      'miss_not_reached',
      'hit',
      'miss_not_reached',
      'hit',
      'miss_not_reached',
    ]);
    expect(block.every((t) => t.reason === ASSESSMENT_REASON)).toBe(true);
    expect(block.every((t) => JSON.stringify(t.params) === JSON.stringify(ASSESSMENT_PARAMS))).toBe(
      true,
    );
    expect(s.state.levels.right).toBe(62);
    // Spoken once, at the block's start: a warm-up, not a text wall per target.
    expect(s.said().filter((w) => w.startsWith(WARM_UP_WORDS))).toHaveLength(1);
    playTrial(s);
    expect(s.trials()[8]).toMatchObject({ assessment: false, levelBefore: 62, levelAfter: 64 });
  });

  it("automation's listed tasks are the whole session unless it asks for the test", () => {
    const tasks = [{ task: 'touch' as const, repetitions: 3 }];
    expect(sessionPlanOf(plan, options).assessment).toBe(true);
    expect(sessionPlanOf(plan, { ...options, tasks }).assessment).toBe(false);
    expect(sessionPlanOf(plan, { ...options, tasks, assessment: true }).assessment).toBe(true);
    expect(sessionPlanOf(plan, { ...options, assessment: false }).assessment).toBe(false);
  });

  it('has no block when the plan switches it off', () => {
    const s = playSession({ ...plan, assessment: false });
    playTrial(s);
    playTrial(s);
    expect(s.trials().map((t) => t.assessment)).toEqual([false, false]);
    expect(s.trials()[0]!.levelAfter).not.toBe(s.trials()[0]!.levelBefore);
    expect(s.view().status).toBe('ended');
  });

  it('measures every arm of the plan before the block starts', () => {
    const s = playSession(bothArms, { calibration: { right: workspace } });
    s.runTo(0.02);
    expect(s.view()).toMatchObject({ status: 'calibrating', arm: 'left' });
    expect(s.trials()).toEqual([]);
  });

  it('resumes mid-block after a reload: the same order goes on, each direction once', () => {
    const whole = playSession(plan);
    for (let i = 0; i < 8; i++) playTrial(whole);
    const first = playSession(plan);
    for (let i = 0; i < 3; i++) playTrial(first);
    first.step({ type: 'pause', by: 'focus_lost' });
    const saved = first.of('progress').at(-1)!.snapshot;
    expect(saved).toMatchObject({ trialsDone: 3, assessmentSeed: 1 });
    const decision = decideResume(
      { ...saved, patientId: 'p1' },
      { nowMs: Date.parse(saved.savedAt) + 60_000, patientId: 'p1', plan },
    );
    expect(decision).toMatchObject({ kind: 'resume', next: { kind: 'trial', assessment: 3 } });
    if (decision.kind !== 'resume') return;
    // The reloaded page draws a new seed: the block's order comes from the snapshot.
    const second = playSession(plan, { resume: decision.snapshot, seed: 99 });
    for (let i = 0; i < 5; i++) playTrial(second);
    const played = [
      ...[1, 2, 3].map((n) => blockIndexOf(first, n)),
      ...[1, 2, 3, 4, 5].map((n) => blockIndexOf(second, n)),
    ];
    expect(played).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(second.trials().map((t) => [t.trialNumber, t.assessment])).toEqual([
      [4, true],
      [5, true],
      [6, true],
      [7, true],
      [8, true],
    ]);
    expect(second.trials().map((t) => t.target)).toEqual(
      whole
        .trials()
        .slice(3)
        .map((t) => t.target),
    );
  });

  it("obeys the therapist's pause and stop during the block", () => {
    const s = playSession(plan);
    playTrial(s);
    while (s.view().status !== 'running') s.runTo(s.input.t + 0.02);
    const target = s.state.target;
    expect(s.apply({ type: 'pause' })).toBeNull();
    expect(s.view()).toMatchObject({ status: 'paused', pausedBy: 'therapist', targets: [] });
    expect(s.apply({ type: 'resume' })).toBeNull();
    // The abandoned trial is offered again: the same fixed target, not a new one.
    expect(s.state.target).toBe(target);
    playTrial(s);
    expect(s.trials().map((t) => [t.trialNumber, t.assessment])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(s.trials()[1]!.target).toEqual(target);
    expect(s.apply({ type: 'end' })).toBeNull();
    expect(s.view().status).toBe('ended');
    expect(s.sent().at(-1)).toBe('session:end:therapist');
  });
});

describe("the headset's own trial list and end scene mark the standard reach test", () => {
  const utc = (iso: string) => Math.floor(Date.parse(iso) / 86_400_000);

  /** The end scene's figures for a session that ended now, as the headset computes them. */
  const endScene = (s: Session) => {
    const summary = s.view().summary!;
    const played = {
      sessionId: s.state.sessionId,
      startedAt: '2026-03-02T09:00:00.000Z',
      trials: summary.trials,
      hits: summary.hits,
      bestStreak: summary.bestStreak,
    };
    return sessionProgress(EMPTY_PROGRESS_HISTORY, played, 300, utc, summary.test);
  };

  it('the trial list says which were the test; the stars judge the adapted reaches', () => {
    const s = playSession(plan);
    // The 8 fixed targets missed (too far today), the plan's 2 reached.
    for (let i = 0; i < 8; i++) playTrial(s, false);
    for (let i = 0; i < 2; i++) playTrial(s);
    expect(s.view().status).toBe('ended');
    expect(s.view().trials.map((t) => [t.trialNumber, t.assessment, t.outcome])).toEqual([
      ...Array.from({ length: 8 }, (_, i) => [i + 1, true, 'miss_not_reached']),
      [9, false, 'hit'],
      [10, false, 'hit'],
    ]);
    expect(s.view().summary).toMatchObject({ trials: 10, hits: 2, test: { trials: 8, hits: 0 } });
    // Every reach counts (reached 2 of 10, as the server's history counts them); the stars are
    // the plan's: 2 of 2 at the adapted level, not 2 of 10.
    expect(endScene(s)).toMatchObject({ reaches: 10, hits: 2, testReaches: 8, stars: 3 });
  });

  it('a session stopped during the test is judged on the test', () => {
    const s = playSession(plan);
    for (let i = 0; i < 3; i++) playTrial(s, i > 0);
    s.apply({ type: 'end' });
    expect(s.view().summary).toMatchObject({ trials: 3, hits: 2, test: { trials: 3, hits: 2 } });
    expect(endScene(s)).toMatchObject({ reaches: 3, hits: 2, testReaches: 3, stars: 2 });
  });

  it('a reload mid-block keeps the marks: the test trials before it still count as the test', () => {
    const first = playSession(plan);
    for (let i = 0; i < 3; i++) playTrial(first, false);
    const saved = first.of('progress').at(-1)!.snapshot;
    const stored = parseResumeSnapshot(JSON.parse(JSON.stringify({ ...saved, patientId: 'p1' })));
    expect(stored!.summaryTrials.map((t) => t.assessment)).toEqual([true, true, true]);
    const second = playSession(plan, { resume: stored, seed: 5 });
    for (let i = 0; i < 5; i++) playTrial(second, false);
    for (let i = 0; i < 2; i++) playTrial(second);
    expect(second.view().summary).toMatchObject({
      trials: 10,
      hits: 2,
      test: { trials: 8, hits: 0 },
    });
    expect(endScene(second)).toMatchObject({ testReaches: 8, stars: 3 });
  });
});

describe('the staircase and the standard reach test', () => {
  it('an assessment trial never moves the level: hit, slow or missed, at any level', () => {
    for (const level of [0, 37.5, 62, 100])
      for (const attempt of [
        { reached: true, tContact: 1 },
        { reached: true, tContact: 6 },
        { reached: false, tContact: null },
      ]) {
        const update = assessmentUpdate(level, attempt, DEFAULT_DIFFICULTY);
        expect([update.levelBefore, update.level, update.atBound]).toEqual([level, level, null]);
        expect(update.paramsBefore).toEqual(ASSESSMENT_PARAMS);
      }
    // Judged on the test's own 5 s limit, where the adaptive rule at level 100 says too slow.
    expect(assessmentUpdate(100, { reached: true, tContact: 4.9 }).outcome).toBe('hit');
    expect(updateDifficulty(100, { reached: true, tContact: 4.9 }).outcome).toBe('miss_too_slow');
    expect(assessmentUpdate(50, { reached: true, tContact: 5.1 }).outcome).toBe('miss_too_slow');
    // The level stays within the arm's bounds.
    expect(assessmentUpdate(80, { reached: true, tContact: 1 }, { maxLevel: 60 }).level).toBe(60);
  });
});
