import type { XRDevice } from 'iwer';
import type { Vec3 } from '../../../shared/protocol';
import { toWorld } from './anchor';
import type { GameSession } from './game-session';
import type { GameSnapshot } from './store';
import { ratingPromptLayout } from './rating-prompt-layout';
import { worldMenuLayout } from '../worlds/menu/layout';
import type { WorldMenuView } from '../worlds/menu/controller';
import type { WorldName } from '../worlds/types';

/** The world drawn (null while the patient chooses) and the world menu's state, if there is one. */
export interface TestWorldState {
  world: WorldName | null;
  menu: WorldMenuView | null;
}

export interface TestSnapshot extends GameSnapshot {
  /** Tracked effector of each arm in the XR reference space (what a test moves). */
  effectorWorld: { left: Vec3; right: Vec3 };
  headWorld: Vec3;
  /** Where the play space is anchored (moves on a recenter). */
  anchor: { x: number; z: number; yaw: number };
  /** The gentle pointer toward a target out of view (play space). */
  pointer: { visible: boolean; position: Vec3 };
  /** The set-end prompt's controls (XR reference space) and the values set on its sliders. */
  ratingPrompt: typeof ratingPromptLayout;
  /** The world menu's cards (XR reference space) while it is shown. */
  worldMenu: typeof worldMenuLayout;
  worldState: TestWorldState;
}

/** What the benchmark's in-page autopilot reads ten times a second, without copying the trials. */
export interface TestPeek {
  status: GameSnapshot['status'];
  task: GameSnapshot['task'];
  trialCount: number;
  /** The first shown target (XR reference space), if any. */
  target: Vec3 | null;
  /** The grasp task's object and goal (XR reference space), while shown. */
  object: Vec3 | null;
  goal: Vec3 | null;
  holding: boolean;
  effectorRightWorld: Vec3;
}

export interface ReachTestHandle {
  device: XRDevice;
  getState(): TestSnapshot;
  /** A small live reading: the full snapshot copies every trial, garbage a headset never makes. */
  peek(): TestPeek;
  enterVR(): Promise<void>;
  /** Answers the set-end prompt as the patient would (both null: skipped). */
  rate(effort: number | null, pain: number | null): void;
  ready: boolean;
}

declare global {
  interface Window {
    __reach?: ReachTestHandle;
  }
}

/**
 * Only with the emulator: tests read the game's state and drive the emulated headset; they never
 * write outcomes. The snapshot is a plain copy, so a test cannot reach into the store.
 */
export function installTestHandle(
  device: XRDevice,
  game: GameSession,
  enterVR: () => Promise<void>,
  worldState: () => TestWorldState,
): void {
  const { anchor, input, pointer } = game;
  window.__reach = {
    device,
    getState: () =>
      JSON.parse(
        JSON.stringify({
          ...game.store.getState(),
          effectorWorld: {
            left: toWorld(anchor, input.effector.left),
            right: toWorld(anchor, input.effector.right),
          },
          headWorld: toWorld(anchor, input.head),
          anchor: { x: anchor.x, z: anchor.z, yaw: anchor.yaw },
          pointer: { visible: pointer.visible, position: pointer.position },
          ratingPrompt: ratingPromptLayout,
          worldMenu: worldMenuLayout,
          worldState: worldState(),
        }),
      ) as TestSnapshot,
    peek: () => {
      const s = game.store.getState();
      const shown = (kind: string) => s.targets.find((t) => t.kind === kind)?.worldPosition ?? null;
      return {
        status: s.status,
        task: s.task,
        trialCount: s.trials.length,
        target: s.targets[0]?.worldPosition ?? null,
        object: shown('object'),
        goal: shown('goal'),
        holding: game.holdingObject(),
        effectorRightWorld: toWorld(anchor, input.effector.right),
      };
    },
    enterVR,
    rate: (effort, pain) => game.dispatch({ type: 'rating', effort, pain }),
    ready: false,
  };
}

/** Called once the canvas has rendered a frame: the XR store is connected, enterVR will work. */
export function markTestHandleReady(): void {
  if (window.__reach) window.__reach.ready = true;
}
