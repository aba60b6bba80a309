import { describe, expect, it } from 'vitest';
import {
  graspGoalEnter,
  graspObjectContact,
  graspPress,
  graspRelease,
  graspTick,
  holdProgress,
  holdTargetEnter,
  holdTargetExit,
  holdTick,
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
    expect(graspPress(run)).toBe(false);
    graspObjectContact(run, true);
    expect(graspGoalEnter(run, 0.5)).toBe(false);
    expect(graspPress(run)).toBe(true);
    expect(graspGoalEnter(run, 2.5)).toBe(true);
    expect(run).toMatchObject({ done: true, reached: true, tContact: 2.5 });
  });

  it('a released object does not count and the trial times out', () => {
    const run = startTrial('grasp', 0, 1.5, 0);
    graspObjectContact(run, true);
    graspPress(run);
    graspRelease(run);
    expect(graspGoalEnter(run, 1)).toBe(false);
    expect(graspTick(run, 1.6)).toBe(true);
    expect(run.reached).toBe(false);
  });
});
