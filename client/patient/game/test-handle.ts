import type { XRDevice } from 'iwer';
import type { Vec3 } from '../../../shared/protocol';
import { anchor, toWorld } from './anchor';
import { frameInput } from './frame-input';
import { useGame, type GameSnapshot } from './store';
import { offViewPointer } from './view-pointer';

export interface TestSnapshot extends GameSnapshot {
  /** Tracked effector of each arm in the XR reference space (what a test moves). */
  effectorWorld: { left: Vec3; right: Vec3 };
  headWorld: Vec3;
  /** Where the play space is anchored (moves on a recenter). */
  anchor: { x: number; z: number; yaw: number };
  /** The gentle pointer toward a target out of view (play space). */
  pointer: { visible: boolean; position: Vec3 };
}

export interface ReachTestHandle {
  device: XRDevice;
  getState(): TestSnapshot;
  enterVR(): Promise<void>;
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
export function installTestHandle(device: XRDevice, enterVR: () => Promise<void>): void {
  window.__reach = {
    device,
    getState: () =>
      JSON.parse(
        JSON.stringify({
          ...useGame.getState(),
          effectorWorld: {
            left: toWorld(frameInput.effector.left),
            right: toWorld(frameInput.effector.right),
          },
          headWorld: toWorld(frameInput.head),
          anchor: { x: anchor.x, z: anchor.z, yaw: anchor.yaw },
          pointer: { visible: offViewPointer.visible, position: offViewPointer.position },
        }),
      ) as TestSnapshot,
    enterVR,
    ready: false,
  };
}

/** Called once the canvas has rendered a frame: the XR store is connected, enterVR will work. */
export function markTestHandleReady(): void {
  if (window.__reach) window.__reach.ready = true;
}
