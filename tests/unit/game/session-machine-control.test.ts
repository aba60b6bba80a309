import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, type SessionPlan } from '../../../shared/clinical';
import { pausedInstruction, taskInstruction } from '../../../shared/game/instructions';
import { playSession, workspace } from './session-fixtures';

const plan: SessionPlan = {
  ...DEFAULT_PLAN,
  assessment: false,
  tasks: [{ task: 'touch', sets: 1, repetitions: 3 }],
};

describe('the session machine: pause and resume', () => {
  it("the patient's pause abandons the running trial and stops the clock; resume offers it again", () => {
    const s = playSession(plan);
    s.runTo(1.2);
    expect(s.view().status).toBe('running');
    s.log.length = 0;
    s.step({ type: 'gesture', action: 'pause' });
    expect(s.log.map((e) => e.type)).toEqual(['publish', 'speak', 'progress']);
    expect(s.log[0]).toEqual({
      type: 'publish',
      patch: {
        status: 'paused',
        pausedBy: 'patient',
        targets: [],
        restSecondsLeft: null,
        rating: null,
        instruction: pausedInstruction('controllers'),
      },
    });
    expect(s.log[1]).toEqual({ type: 'speak', text: 'Paused.' });
    expect(s.trialRun()).toBeNull();
    const elapsed = s.state.elapsed;
    s.runTo(30);
    expect(s.state.elapsed).toBe(elapsed);
    expect(s.trials()).toEqual([]);
    // A second pause (the headset taken off meanwhile) changes nothing.
    s.log.length = 0;
    s.step({ type: 'pause', by: 'headset_removed' });
    expect(s.log).toEqual([]);

    s.step({ type: 'gesture', action: 'resume' });
    expect(s.view()).toMatchObject({ status: 'instructions', pausedBy: null, trialNumber: 1 });
    s.runTo(31.1);
    expect(s.view()).toMatchObject({ status: 'running', trialNumber: 1 });
  });

  it('the page pauses by itself when the headset comes off or the page loses focus', () => {
    for (const by of ['headset_removed', 'focus_lost'] as const) {
      const s = playSession(plan);
      s.runTo(0.5);
      s.step({ type: 'pause', by });
      expect(s.view()).toMatchObject({ status: 'paused', pausedBy: by });
    }
  });

  it('before the first frame nothing pauses: there is no session yet', () => {
    const s = playSession(plan);
    expect(s.step({ type: 'pause', by: 'focus_lost' })).toEqual([]);
    expect(s.view().status).toBe('idle');
  });
});

describe("the session machine: the therapist's commands", () => {
  it('pause, resume and end, each answered; a command that cannot apply says why', () => {
    const s = playSession(plan);
    s.runTo(0.5);
    expect(s.apply({ type: 'resume' })).toBe('the session is not paused');
    expect(s.view().lastCommand).toBe('resume');
    expect(s.apply({ type: 'pause' })).toBeNull();
    expect(s.view()).toMatchObject({
      status: 'paused',
      pausedBy: 'therapist',
      lastCommand: 'pause',
    });
    expect(s.apply({ type: 'resume' })).toBeNull();
    expect(s.view().status).toBe('instructions');
    expect(s.apply({ type: 'end' })).toBeNull();
    expect(s.view().status).toBe('ended');
    expect(s.of('session-ended').map((e) => e.payload.reason)).toEqual(['therapist']);
    expect(s.apply({ type: 'pause' })).toBe('the session has ended');
    // Ending twice records one end.
    expect(s.apply({ type: 'end' })).toBeNull();
    expect(s.sent()).toEqual(['session:start', 'session:end:therapist']);
    // Nothing is saved for a reload once the session ended.
    s.log.length = 0;
    s.apply({ type: 'setTask', task: 'hold' });
    expect(s.log.filter((e) => e.type === 'progress')).toEqual([]);
  });

  it('a change of task during a trial starts a fresh one with the new task, saved for a reload', () => {
    const s = playSession(plan);
    s.runTo(1.2);
    const before = s.state.target;
    s.log.length = 0;
    expect(s.apply({ type: 'setTask', task: 'hold' })).toBeNull();
    expect(s.view()).toMatchObject({
      status: 'instructions',
      task: 'hold',
      instruction: taskInstruction('hold', 'controllers', {
        target: 'yellow',
        goal: 'green',
        object: 'blue',
      }),
    });
    expect(s.state.target).not.toEqual(before);
    expect(s.of('progress').at(-1)!.snapshot.taskOverride).toBe('hold');
    s.runTo(2.3);
    expect(s.trialRun()?.task).toBe('hold');
  });

  it("the world settled after the start (a menu choice) names the next trial's target its way", () => {
    const s = playSession(plan);
    s.runTo(1.2);
    const shown = s.view().instruction;
    s.log.length = 0;
    s.step({
      type: 'dress',
      things: { target: 'bubble', object: 'chest', goal: 'nest', toGoal: 'into' },
    });
    // Nothing changes until the next trial is prepared (the same shapes are drawn meanwhile).
    expect(s.log).toEqual([]);
    expect(s.view().instruction).toBe(shown);
    expect(shown).toBe('Reach out and touch the yellow ball.');
    expect(s.apply({ type: 'setTask', task: 'hold' })).toBeNull();
    expect(s.view().instruction).toBe(
      'Reach the yellow bubble and keep your hand inside it until the green ring around it is full size.',
    );
  });

  it('a change of arm plays that arm: measured first when it has no workspace', () => {
    const s = playSession(plan);
    s.runTo(0.5);
    expect(s.apply({ type: 'setArm', arm: 'left' })).toBeNull();
    expect(s.view()).toMatchObject({
      status: 'calibrating',
      arm: 'left',
      calibrationStep: 'forward',
    });
    const both = playSession(plan, {
      calibration: { right: workspace, left: { ...workspace, arm: 'left' } },
    });
    both.runTo(0.5);
    both.apply({ type: 'setArm', arm: 'left' });
    expect(both.view()).toMatchObject({ status: 'instructions', arm: 'left' });
  });

  it('setDifficulty: the level and parameters of the arm in play change at once; a bad change is refused', () => {
    const s = playSession(plan);
    s.runTo(0.5);
    expect(s.apply({ type: 'setDifficulty', arm: 'right', change: { level: 20 } })).toBeNull();
    expect(s.view().level).toBe(20);
    expect(s.view().params.distanceFraction).toBeCloseTo(0.51, 12);
    expect(s.of('progress').at(-1)!.snapshot.levels).toEqual({ left: 50, right: 20 });
    expect(
      s.apply({ type: 'setDifficulty', arm: 'right', change: { minLevel: 90, maxLevel: 10 } }),
    ).toMatch(/minLevel must not exceed maxLevel/);
    expect(s.view().level).toBe(20);
  });

  it('publishes both arms’ settings in force, the plan’s and then a live change of either arm', () => {
    const s = playSession(plan);
    s.runTo(0.5);
    expect(s.view().difficulty).toEqual(plan.difficulty);
    s.log.length = 0;
    // The arm not in play: its level and parameters are not shown, its settings in force are.
    expect(
      s.apply({ type: 'setDifficulty', arm: 'left', change: { minLevel: 10, maxLevel: 60 } }),
    ).toBeNull();
    const changed = {
      ...plan.difficulty,
      left: { ...plan.difficulty.left, minLevel: 10, maxLevel: 60 },
    };
    expect(s.log).toContainEqual({ type: 'publish', patch: { difficulty: changed } });
    expect(s.view().difficulty).toEqual(changed);
    expect(s.view().arm).toBe('right');
  });
});

describe('the session machine: recenter', () => {
  it("the therapist's command and the patient's gesture both ask the page to re-anchor", () => {
    const s = playSession(plan);
    s.runTo(0.5);
    s.log.length = 0;
    expect(s.apply({ type: 'recenter' })).toBeNull();
    expect(s.log).toEqual([
      { type: 'publish', patch: { lastCommand: 'recenter' } },
      { type: 'recenter' },
      { type: 'command-result', error: null },
    ]);
    expect(s.step({ type: 'gesture', action: 'recenter' })).toEqual([{ type: 'recenter' }]);
    // Recentering changes nothing of the session itself.
    expect(s.view().status).toBe('instructions');
  });
});
