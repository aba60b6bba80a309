import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, type SessionPlan } from '../../../shared/clinical';
import { CALIBRATION_INSTRUCTIONS } from '../../../shared/game/calibration';
import { aimPoint, type SessionEffect } from '../../../shared/game/session';
import { estimateShoulder } from '../../../shared/game/workspace';
import { playSession, T0, uuid } from './session-fixtures';

const touchPlan: SessionPlan = {
  ...DEFAULT_PLAN,
  assessment: false,
  tasks: [{ task: 'touch', sets: 1, repetitions: 2 }],
};
const holdPlan: SessionPlan = {
  ...DEFAULT_PLAN,
  assessment: false,
  tasks: [{ task: 'hold', sets: 1, repetitions: 1, holdSeconds: 1 }],
};
const at = (t: number) => new Date(T0 + t * 1000).toISOString();

describe('the session machine: start and calibration', () => {
  it('starts on the first frame: records the start, publishes the first trial and says it', () => {
    const s = playSession(touchPlan);
    expect(s.view()).toMatchObject({ status: 'idle', sessionId: uuid(1), arm: 'right', level: 50 });
    s.runTo(0.02);
    expect(s.log.map((e) => e.type)).toEqual(['session-started', 'publish', 'speak', 'progress']);
    expect(s.log[0]).toEqual({
      type: 'session-started',
      payload: { sessionId: uuid(1), mode: 'live', startedAt: at(0.02) },
    });
    expect(s.log[1]).toMatchObject({
      type: 'publish',
      patch: {
        status: 'instructions',
        task: 'touch',
        arm: 'right',
        set: 1,
        level: 50,
        targets: [],
      },
    });
    expect(s.log[2]).toEqual({ type: 'speak', text: s.view().instruction });
  });

  it('measures an uncalibrated arm first: hold still after reaching, or pull the trigger', () => {
    const s = playSession(touchPlan, { calibration: null });
    s.runTo(0.02);
    expect(s.log[1]).toEqual({
      type: 'publish',
      patch: {
        status: 'calibrating',
        arm: 'right',
        calibrationStep: 'forward',
        instruction: `Let's measure your right arm. ${CALIBRATION_INSTRUCTIONS.forward}`,
        targets: [],
        restSecondsLeft: null,
      },
    });
    s.runTo(0.1);
    const hand = s.input.effector.right;
    // Forward: the hand moves out 0.4 m, then holds still for the 1 s hold (from 0.12 s).
    hand[2] = -0.6;
    s.log.length = 0;
    s.runTo(1.1);
    expect(s.of('sound')).toEqual([]);
    s.runTo(1.12);
    expect(s.log.filter((e) => e.type !== 'publish' || !('elapsedSeconds' in e.patch))).toEqual([
      { type: 'sound', sound: 'confirm', at: null },
      { type: 'speak', text: CALIBRATION_INSTRUCTIONS.outward },
      {
        type: 'publish',
        patch: { calibrationStep: 'outward', instruction: CALIBRATION_INSTRUCTIONS.outward },
      },
    ]);
    // Outward, up and across: each confirmed by a trigger press (an edge, not a held trigger),
    // at the first frame after `from`.
    const press = (until: number) => {
      s.input.select.right = true;
      s.runTo(until);
      s.input.select.right = false;
      s.runTo(until + 0.04);
    };
    hand[0] = 0.7;
    press(1.2);
    expect(s.view().calibrationStep).toBe('up');
    hand[1] = 1.9;
    press(1.3);
    expect(s.view().calibrationStep).toBe('across');
    hand[0] = -0.1;
    s.log.length = 0;
    press(1.4);
    const saved = s.of('calibration-saved');
    expect(saved).toHaveLength(1);
    const workspace = saved[0]!.calibration.right!;
    const shoulder = estimateShoulder([0, 1.6, 0], 'right');
    expect(workspace).toMatchObject({ arm: 'right', posture: 'seated', measuredAt: at(1.36) });
    expect(workspace.shoulder).toEqual(shoulder);
    expect(workspace.reach.forward).toBeCloseTo(shoulder[2] + 0.6, 9);
    expect(s.view()).toMatchObject({ workspace, calibrationStep: null, status: 'instructions' });
    expect(s.sent()).toEqual(['session:start', 'calibration:save']);
  });
});

describe('the session machine: a trial boundary over two frames', () => {
  /** Effects as [type, published keys]: which half of the boundary did what. */
  const shape = (log: readonly SessionEffect[]) =>
    log.map((e) => (e.type === 'publish' ? ['publish', ...Object.keys(e.patch)] : [e.type]));

  it('the window end judges, records, scores and saves; the next frame places the next target', () => {
    const s = playSession(touchPlan);
    s.runTo(1.5);
    s.targetEntered();
    s.runTo(1.98);
    s.log.length = 0;
    s.runTo(2.0);
    expect(shape(s.log)).toEqual([
      ['record-trial'],
      [
        'publish',
        ...['score', 'streak', 'bestStreak', 'hits', 'level', 'params', 'feedback'],
        'trials',
      ],
      ['progress'],
    ]);
    expect(s.view()).toMatchObject({ status: 'running', targets: [], trialNumber: 1, level: 52 });
    // A reload before the next frame resumes after the recorded trial, never plays it again.
    expect(s.of('progress').at(-1)!.snapshot).toMatchObject({ trialsDone: 1, score: 10 });
    s.log.length = 0;
    s.runTo(2.02);
    expect(shape(s.log)).toEqual([
      [
        'publish',
        ...['status', 'task', 'arm', 'set', 'level', 'params', 'workspace', 'instruction'],
        ...['targets', 'restSecondsLeft', 'feedback'],
      ],
      ['progress'],
      ['publish', 'elapsedSeconds', 'inputMode'],
    ]);
    expect(s.view()).toMatchObject({
      status: 'instructions',
      level: 52,
      feedback: 'Great! Streak 1',
    });
    const progress = s.of('progress').at(-1)!;
    expect(progress.snapshot).toMatchObject({ trialsDone: 1, levels: { right: 52 }, score: 10 });
  });

  it('any other event between the two halves completes the boundary first (a pause keeps the set-end rating due)', () => {
    const s = playSession(touchPlan, { ratings: { enabled: true, painPauseAt: 5 } });
    s.runTo(1.5);
    s.targetEntered();
    while (s.view().targets.length === 0) s.runTo(s.input.t + 0.02);
    s.targetEntered();
    while (s.trials().length < 2) s.runTo(s.input.t + 0.02);
    s.log.length = 0;
    s.step({ type: 'pause', by: 'headset_removed' });
    expect(shape(s.log)).toEqual([
      ['publish', 'status', 'rating', 'targets', 'restSecondsLeft', 'instruction'],
      ['speak'],
      ['progress'],
      ['publish', 'status', 'pausedBy', 'targets', 'restSecondsLeft', 'rating', 'instruction'],
      ['speak'],
      ['progress'],
    ]);
    expect(s.state.ratingDue).toEqual({ setIndex: 0, arm: 'right' });
    // Resumed, the set's rating is asked before the plan goes on (then the session ends).
    s.step({ type: 'gesture', action: 'resume' });
    expect(s.view().status).toBe('rating');
  });
});

describe('the session machine: trials of the three tasks', () => {
  it('touch: a contact ends the trial with success sound and pulse, then records it', () => {
    const s = playSession(touchPlan);
    s.runTo(1.1);
    expect(s.view().status).toBe('running');
    const target = s.view().targets[0]!;
    expect(target).toEqual({
      id: 'target',
      kind: 'target',
      position: s.state.target,
      radius: s.view().params.targetRadius,
    });
    s.runTo(1.5);
    s.log.length = 0;
    s.targetEntered();
    expect(s.log).toEqual([
      { type: 'sound', sound: 'success', at: target.position },
      { type: 'haptic', arm: 'right', intensity: 1, ms: 120 },
      { type: 'publish', patch: { targets: [], feedback: 'Well done!' } },
    ]);
    s.runTo(2.1);
    expect(s.trials()).toHaveLength(1);
    expect(s.trials()[0]).toMatchObject({
      id: uuid(2),
      sessionId: uuid(1),
      task: 'touch',
      outcome: 'hit',
      startedAt: at(1.02),
      endedAt: at(2.0),
      levelBefore: 50,
      levelAfter: 52,
    });
    expect(s.view()).toMatchObject({ score: 10, streak: 1, bestStreak: 1, level: 52 });
  });

  it('hold: entering starts the dwell (a contact pulse), staying the hold time reaches', () => {
    const s = playSession(holdPlan);
    s.runTo(1.1);
    expect(s.view()).toMatchObject({ status: 'running', task: 'hold' });
    const target = s.view().targets[0]!.position;
    s.log.length = 0;
    s.targetEntered();
    expect(s.log).toEqual([
      { type: 'sound', sound: 'contact', at: target },
      { type: 'haptic', arm: 'right', intensity: 0.6, ms: 60 },
    ]);
    s.runTo(2.08);
    expect(s.view()).toMatchObject({ status: 'running', trials: [] });
    // Held 1 s from the entry at 1.1 s: reached, recorded at once (a hold has no settling window).
    s.runTo(2.12);
    expect(s.of('sound').map((e) => e.sound)).toEqual(['contact', 'success']);
    expect(s.trials()[0]).toMatchObject({ task: 'hold', outcome: 'hit' });
    // The plan is complete: the session ends with its summary, in the frame after the record.
    expect(s.view().status).toBe('running');
    s.runTo(2.14);
    expect(s.view()).toMatchObject({ status: 'ended', instruction: 'All done. Thank you!' });
    expect(s.view().summary).toMatchObject({ trials: 1, hits: 1, levelStart: 50, levelEnd: 52 });
    expect(s.sent()).toEqual(['session:start', 'trial:submit', 'session:end:plan_complete']);
  });

  it('hold: leaving the target early loses the dwell, so it times out as a miss', () => {
    const s = playSession(holdPlan);
    s.runTo(1.1);
    s.targetEntered();
    s.runTo(1.6);
    s.targetExited();
    s.runTo(8);
    expect(s.trials()[0]).toMatchObject({ task: 'hold', outcome: 'miss_not_reached' });
    expect(s.of('sound').map((e) => e.sound)).toEqual(['contact', 'miss']);
  });

  it('grasp: the object and the goal are shown; a carry into the goal reaches', () => {
    const plan: SessionPlan = {
      ...DEFAULT_PLAN,
      assessment: false,
      tasks: [{ task: 'grasp', sets: 1, repetitions: 1 }],
    };
    const s = playSession(plan);
    s.runTo(1.1);
    expect(s.view().targets.map((t) => [t.id, t.kind, t.radius])).toEqual([
      ['object', 'object', 0.035],
      ['goal', 'goal', s.view().params.targetRadius],
    ]);
    const [object, goal] = s.view().targets;
    expect(aimPoint(s.state)).toEqual(object!.position);
    s.objectContact(true);
    expect(s.of('haptic')).toEqual([{ type: 'haptic', arm: 'right', intensity: 0.6, ms: 60 }]);
    s.input.grab.right = true;
    s.runTo(1.5);
    expect(s.trialRun()?.holding).toBe(true);
    // Carrying it, the patient looks for the goal (the off-view pointer aims there).
    expect(aimPoint(s.state)).toEqual(goal!.position);
    s.goalEntered();
    expect(aimPoint(s.state)).toBeNull();
    expect(s.view().feedback).toBe('Well done!');
    s.input.grab.right = false;
    s.runTo(3);
    expect(s.trials()[0]).toMatchObject({ task: 'grasp', outcome: 'hit' });
  });
});
