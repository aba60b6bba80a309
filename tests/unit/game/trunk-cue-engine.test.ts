import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, type SessionPlan } from '../../../shared/clinical';
import type { Posture, Vec3, Workspace } from '../../../shared/protocol';
import { TRUNK_CUE } from '../../../shared/game/trunk-cue';
import { frameInput, playSession } from './session-fixtures';

const plan: SessionPlan = { ...DEFAULT_PLAN, tasks: [{ task: 'touch', sets: 1, repetitions: 2 }] };
const minJerk = (q: number) => {
  const c = Math.min(1, Math.max(0, q));
  return 10 * c ** 3 - 15 * c ** 4 + 6 * c ** 5;
};

/** Plays one touch trial in which the head leans `lean` m toward the target during the reach. */
function playLeaningReach(posture: Posture, lean: number) {
  const workspace: Workspace = {
    arm: 'right',
    posture,
    shoulder: [0.18, 1.4, 0],
    reach: { forward: 0.55, outward: 0.5, up: 0.4, across: 0.3 },
    measuredAt: '2026-01-01T00:00:00.000Z',
  };
  const input = frameInput();
  const session = playSession(
    plan,
    { mode: 'practice', live: false, calibration: { right: workspace }, posture },
    input,
  );
  const step = () => {
    input.t = Math.round((input.t + 0.02) * 1000) / 1000;
    session.frame();
  };
  while (session.view().status !== 'running') step();
  const target = session.view().targets[0]!.position;
  const start: Vec3 = [...input.effector.right];
  const head0: Vec3 = [...input.head];
  const fx = target[0] - start[0];
  const fz = target[2] - start[2];
  const fn = Math.hypot(fx, fz);
  const tStart = input.t + 0.3;
  while (input.t < tStart + 1) {
    const s = minJerk((input.t - tStart) / 0.9);
    for (let k = 0; k < 3; k++) input.effector.right[k] = start[k]! + s * (target[k]! - start[k]!);
    input.head[0] = head0[0] + (lean * s * fx) / fn;
    input.head[2] = head0[2] + (lean * s * fz) / fn;
    step();
  }
  session.targetEntered();
  const done = session.view().trials.length + 1;
  while (session.view().trials.length < done) step();
  const cues = session.of('sound').filter((e) => e.sound === 'cue').length;
  return { cues, state: session.view() };
}

describe('the trunk cue in the game knows the posture', () => {
  it('seated: 6.5 cm of forward lean cues and mentions the chair', () => {
    const { cues, state } = playLeaningReach('seated', 0.065);
    expect(state.trials[0]!.trunkCompensation).toBe(true);
    expect(cues).toBe(1);
    expect(state.feedback).toBe(TRUNK_CUE.seated.message);
  });

  it('standing: the same lean is within sway and hip strategy, no cue, no chair', () => {
    const { cues, state } = playLeaningReach('standing', 0.065);
    expect(state.trials[0]!.trunkCompensation).toBe(false);
    expect(cues).toBe(0);
    expect(state.feedback).not.toContain('chair');
  });

  it('standing: a 10 cm lean cues with advice for standing', () => {
    const { cues, state } = playLeaningReach('standing', 0.1);
    expect(cues).toBe(1);
    expect(state.feedback).toBe(TRUNK_CUE.standing.message);
  });
});
