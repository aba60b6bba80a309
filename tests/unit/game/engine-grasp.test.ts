import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, type SessionPlan } from '../../../shared/clinical';
import type { Trial } from '../../../shared/protocol';
import { GameEngine } from '../../../client/patient/game/engine';
import type { FrameInput } from '../../../client/patient/game/frame-input';
import { useGame } from '../../../client/patient/game/store';
import { frameInput, options, workspace } from './engine-fixtures';

const plan: SessionPlan = { ...DEFAULT_PLAN, tasks: [{ task: 'grasp', sets: 1, repetitions: 2 }] };

function setup(inputMode: FrameInput['inputMode']) {
  const said: string[] = [];
  const trials: Trial[] = [];
  const input = frameInput(inputMode);
  const engine = new GameEngine({
    mode: 'practice',
    live: false,
    plan,
    levels: { right: 50 },
    calibration: { right: workspace },
    options,
    effects: {
      say: (text) => said.push(text),
      contact: () => {},
      success: () => {},
      miss: () => {},
      trunkCue: () => {},
      confirm: () => {},
    },
    input,
    sink: {
      sessionStarted: () => {},
      trialFinished: (t) => trials.push(t),
      sessionEnded: () => {},
      calibrationSaved: () => {},
    },
  });
  const runTo = (until: number) => {
    while (input.t < until - 1e-9) {
      input.t = Math.round((input.t + 0.02) * 1000) / 1000;
      engine.frame(input);
    }
  };
  return { engine, input, said, trials, runTo };
}

describe('grasp on the headset', () => {
  it('tells a hand user to pinch or close the hand, never to squeeze', () => {
    useGame.setState({ trials: [], trialNumber: 0 });
    const { said, runTo } = setup('hands');
    runTo(0.1);
    const instruction = useGame.getState().instruction;
    expect(instruction).toBe(
      'Touch the blue cube, pinch or close your hand to pick it up, and hold on while you carry it into the green ball.',
    );
    expect(said).toContain(instruction);
  });

  it('allows 2.5 times the level limit, measures the phases and stores them with the trial', () => {
    useGame.setState({ trials: [], trialNumber: 0 });
    const { engine, input, trials, runTo } = setup('controllers');
    runTo(1.1);
    expect(useGame.getState().status).toBe('running');
    expect(engine.trialRun?.timeout).toBe(7.5); // level 50: 3 s for a reach
    runTo(1.6);
    engine.objectContact(true); // 0.58 s after the cube appeared at 1.02 s
    runTo(2.0);
    input.grab.right = true; // picked up at 2.02 s
    runTo(2.02);
    runTo(5.5);
    engine.goalEntered(); // 4.48 s: beyond a touch's 3 s, within the grasp's 7.5 s
    runTo(5.7);
    input.grab.right = false; // opens the hand at 5.72 s
    runTo(6.2);
    expect(trials).toHaveLength(1);
    expect(trials[0]).toMatchObject({
      task: 'grasp',
      outcome: 'hit',
      inputMode: 'controllers',
      params: { timeLimit: 7.5 },
      graspPhases: { reachS: 0.58, acquireS: 0.42, transportS: 3.48, releaseS: 0.22, drops: 0 },
    });
  });
});
