import type { GameEffects } from '../../../client/patient/game/engine';
import type { FrameInput } from '../../../client/patient/game/frame-input';
import type { GameOptions } from '../../../client/patient/game/options';
import type { Workspace } from '../../../shared/protocol';

/** The engine tests' right arm: a seated adult's calibrated reach. */
export const workspace: Workspace = {
  arm: 'right',
  posture: 'seated',
  shoulder: [0.18, 1.4, 0],
  reach: { forward: 0.55, outward: 0.5, up: 0.4, across: 0.3 },
  measuredAt: '2026-01-01T00:00:00.000Z',
};

/** Short phases and a fixed seed, so a test plays a session in a few simulated seconds. */
export const options: GameOptions = {
  instructionSeconds: 1,
  interTrialSeconds: 0.5,
  restSeconds: null,
  holdSeconds: null,
  calibrationHoldSeconds: 1,
  tasks: null,
  handEffector: 'index-finger-tip',
  seed: 1,
  timeLimit: null,
};

export const silent: GameEffects = {
  say: () => {},
  contact: () => {},
  success: () => {},
  miss: () => {},
  trunkCue: () => {},
  confirm: () => {},
};

/** Both controllers tracked, resting low in front, nothing pressed. */
export function frameInput(inputMode: FrameInput['inputMode'] = 'controllers'): FrameInput {
  return {
    t: 0,
    head: [0, 1.6, 0],
    headQuaternion: [0, 0, 0, 1],
    effector: { left: [-0.2, 1.1, -0.2], right: [0.2, 1.1, -0.2] },
    tracked: { left: true, right: true },
    select: { left: false, right: false },
    grab: { left: false, right: false },
    gripGesture: { left: false, right: false },
    menuButton: false,
    inputMode,
  };
}
