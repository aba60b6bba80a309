import { describe, expect, it } from 'vitest';
import { TASK_TIME_SCALE, taskTimeLimit, updateDifficulty } from '../../../shared/clinical';
import {
  graspGoalEnter,
  graspPhases,
  graspObjectContact,
  graspPress,
  graspRelease,
  graspTick,
  holdProgress,
  holdTargetEnter,
  holdTargetExit,
  holdTick,
  armOnLeaving,
  effectorInsideTarget,
  startTrial,
  touchTargetEnter,
  touchTick,
} from '../../../shared/game/tasks';

describe('touch', () => {
  it('ends at the first contact with the time from the target appearing', () => {
    const run = startTrial('touch', 10, 3, 0);
    expect(touchTick(run, 11)).toBe(false);
    expect(touchTargetEnter(run, 11.25)).toBe(true);
    expect(run).toMatchObject({ done: true, reached: true, tContact: 1.25 });
    expect(touchTargetEnter(run, 11.5)).toBe(false);
  });

  it('times out unreached after the time limit; a contact exactly at the limit counts', () => {
    const late = startTrial('touch', 0, 2, 0);
    expect(touchTick(late, 2)).toBe(false);
    expect(touchTick(late, 2.01)).toBe(true);
    expect(late).toMatchObject({ done: true, reached: false, tContact: null });
    expect(touchTargetEnter(late, 2.02)).toBe(false);
    const atLimit = startTrial('touch', 0, 2, 0);
    expect(touchTargetEnter(atLimit, 2)).toBe(true);
  });
});

describe('a target drawn around the resting hand', () => {
  it('counts no touch until the hand has left it, then the next contact', () => {
    const run = startTrial('touch', 0, 3, 0, true);
    expect(touchTargetEnter(run, 0.02)).toBe(false); // the physics reports the resting hand
    expect(run.done).toBe(false);
    armOnLeaving(run);
    expect(touchTargetEnter(run, 0.9)).toBe(true);
    expect(run).toMatchObject({ reached: true, tContact: 0.9 });
  });

  it('starts no hold until the hand has left it', () => {
    const run = startTrial('hold', 0, 3, 1, true);
    holdTargetEnter(run, 0.02);
    expect(holdTick(run, 1.5)).toBe(false);
    expect(holdProgress(run, 1.5)).toBe(0);
    holdTargetExit(run);
    holdTargetEnter(run, 1.6);
    expect(holdTick(run, 2.6)).toBe(true);
    expect(run.tContact).toBe(1.6);
  });

  it('sees contact where the spheres of hand (1.5 cm) and target meet', () => {
    expect(effectorInsideTarget(0.064, 0.05)).toBe(true);
    expect(effectorInsideTarget(0.066, 0.05)).toBe(false);
  });
});

describe('hold', () => {
  it('needs the dwell inside; leaving restarts it; tContact is when the good hold began', () => {
    const run = startTrial('hold', 0, 3, 1);
    expect(run.timeout).toBe(4);
    holdTargetEnter(run, 0.5);
    expect(holdTick(run, 1.2)).toBe(false);
    expect(holdProgress(run, 1.2)).toBeCloseTo(0.7, 12);
    holdTargetExit(run);
    expect(holdProgress(run, 1.3)).toBe(0);
    holdTargetEnter(run, 1.5);
    expect(holdTick(run, 2.4)).toBe(false);
    expect(holdTick(run, 2.5)).toBe(true);
    expect(run).toMatchObject({ done: true, reached: true, tContact: 1.5 });
  });

  it('times out at limit + dwell when the hold never completes', () => {
    const run = startTrial('hold', 0, 2, 1);
    holdTargetEnter(run, 2.5);
    expect(holdTick(run, 3)).toBe(false);
    expect(holdTick(run, 3.01)).toBe(true);
    expect(run.reached).toBe(false);
  });
});

describe('grasp', () => {
  it('takes the object only when touching it, and counts it in the goal only while carried', () => {
    const run = startTrial('grasp', 0, 5, 0);
    expect(graspPress(run, 0.1)).toBe(false);
    graspObjectContact(run, true, 0.2);
    expect(graspGoalEnter(run, 0.5)).toBe(false);
    expect(graspPress(run, 0.6)).toBe(true);
    expect(graspGoalEnter(run, 2.5)).toBe(true);
    expect(run).toMatchObject({ done: true, reached: true, tContact: 2.5 });
  });

  it('a closing hand takes the object it touched though its fingertip curled out of the zone', () => {
    const run = startTrial('grasp', 0, 5, 0);
    expect(graspPress(run, 0.2, true)).toBe(false); // near, but it never touched the object
    graspObjectContact(run, true, 0.4);
    graspObjectContact(run, false, 0.6); // the fingertip curls back out of the zone
    expect(graspPress(run, 0.7)).toBe(false); // a controller (or a hand too far) must be in it
    expect(graspPress(run, 0.7, true)).toBe(true);
    expect(run).toMatchObject({ holding: true, tFirstTouch: 0.4, tPickUp: 0.7 });
  });

  it('a released object does not count and the trial times out', () => {
    const run = startTrial('grasp', 0, 1.5, 0);
    graspObjectContact(run, true, 0.4);
    graspPress(run, 0.5);
    graspRelease(run, 0.7);
    expect(graspGoalEnter(run, 1)).toBe(false);
    expect(graspTick(run, 1.6)).toBe(true);
    expect(run.reached).toBe(false);
    expect(graspPhases(run)).toEqual({
      reachS: 0.4,
      acquireS: 0.1,
      transportS: null,
      releaseS: null,
      drops: 1,
    });
  });

  it('measures reach, acquire, transport and release of a grasp-and-place', () => {
    const run = startTrial('grasp', 10, 7.5, 0);
    graspObjectContact(run, true, 10.8); // first touch 0.8 s after the cube appeared
    graspObjectContact(run, false, 10.9); // slips off
    graspObjectContact(run, true, 11.0);
    expect(graspPress(run, 11.25)).toBe(true);
    graspRelease(run, 11.5); // dropped on the way
    expect(graspPress(run, 11.75)).toBe(true); // picked up again
    expect(graspGoalEnter(run, 13.0)).toBe(true);
    graspRelease(run, 13.4); // opens the hand in the goal
    graspRelease(run, 13.45); // a second release edge changes nothing
    expect(graspPhases(run)).toEqual({
      reachS: 0.8,
      acquireS: 0.95,
      transportS: 1.25,
      releaseS: 0.4,
      drops: 1,
    });
  });

  it('judges a grasp against 2.5 times the level limit', () => {
    expect(taskTimeLimit('grasp', 2.6)).toBeCloseTo(6.5, 12);
    expect(taskTimeLimit('touch', 2.6)).toBe(2.6);
    expect(taskTimeLimit('hold', 2.6)).toBe(2.6);
    // Level 50 (3 s reach limit): a 4.2 s grasp is a hit, the same time for a touch a miss.
    const grasp = updateDifficulty(50, { reached: true, tContact: 4.2 }, undefined, {
      timeScale: TASK_TIME_SCALE.grasp,
    });
    expect(grasp.outcome).toBe('hit');
    expect(grasp.reason).toContain('within the 7.50 s limit');
    expect(grasp.reason).toContain('time limit 3.00 -> 2.92 s (x2.5 for this task)');
    expect(updateDifficulty(50, { reached: true, tContact: 4.2 }).outcome).toBe('miss_too_slow');
    expect(
      updateDifficulty(50, { reached: true, tContact: 7.6 }, undefined, { timeScale: 2.5 }).outcome,
    ).toBe('miss_too_slow');
  });
});
