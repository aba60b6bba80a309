import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, type SessionPlan } from '../../../shared/clinical';
import { HAND_GRASP_REACH_M } from '../../../shared/game/tasks';
import type { FrameInput } from '../../../shared/game/session';
import { frameInput, playSession } from './session-fixtures';

const plan: SessionPlan = {
  ...DEFAULT_PLAN,
  assessment: false,
  tasks: [{ task: 'grasp', sets: 1, repetitions: 2 }],
};

function setup(inputMode: FrameInput['inputMode']) {
  const session = playSession(plan, { mode: 'practice', live: false }, frameInput(inputMode));
  return session;
}

describe('grasp on the headset', () => {
  it('tells a hand user to pinch or close the hand, never to squeeze', () => {
    const { view, said, runTo } = setup('hands');
    runTo(0.1);
    const instruction = view().instruction;
    expect(instruction).toBe(
      'Touch the blue cube, pinch or close your hand to pick it up, and hold on while you carry it into the green ball.',
    );
    expect(said()).toContain(instruction);
  });

  it('allows 2.5 times the level limit, measures the phases and stores them with the trial', () => {
    const { view, trialRun, objectContact, goalEntered, input, trials, runTo } =
      setup('controllers');
    runTo(1.1);
    expect(view().status).toBe('running');
    expect(trialRun()?.timeout).toBe(7.5); // level 50: 3 s for a reach
    runTo(1.6);
    objectContact(true); // 0.58 s after the cube appeared at 1.02 s
    runTo(2.0);
    input.grab.right = true; // picked up at 2.02 s
    runTo(2.02);
    runTo(5.5);
    goalEntered(); // 4.48 s: beyond a touch's 3 s, within the grasp's 7.5 s
    runTo(5.7);
    input.grab.right = false; // opens the hand at 5.72 s
    runTo(6.2);
    expect(trials()).toHaveLength(1);
    expect(trials()[0]).toMatchObject({
      task: 'grasp',
      outcome: 'hit',
      inputMode: 'controllers',
      params: { timeLimit: 7.5 },
      graspPhases: { reachS: 0.58, acquireS: 0.42, transportS: 3.48, releaseS: 0.22, drops: 0 },
    });
  });

  // A fist curls the index fingertip (a hand's effector) back toward the palm before the game sees
  // the fist: the contact with the cube ends first.
  it.each([
    ['hands', 0.09, true],
    ['hands', HAND_GRASP_REACH_M + 0.01, false],
    ['controllers', 0.09, false],
  ] as const)(
    'with %s, closing %f m from the cube it touched takes it: %s',
    (inputMode, gap, taken) => {
      const { view, trialRun, objectContact, input, runTo, state } = setup(inputMode);
      runTo(1.1);
      expect(view().status).toBe('running');
      const [x, y, z] = state.objectStart;
      input.effector.right = [x, y, z];
      objectContact(true);
      runTo(1.3);
      input.effector.right = [x, y, z + gap];
      objectContact(false);
      runTo(1.4);
      input.grab.right = true;
      runTo(1.5);
      expect(trialRun()?.holding).toBe(taken);
      expect(trialRun()?.tPickUp).toBe(taken ? 1.42 : null);
    },
  );
});
