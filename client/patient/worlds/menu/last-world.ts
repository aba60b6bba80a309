import type { PlayedWorld } from '../../../../shared/protocol/primitives';

/** The world this headset's latest session started in: the world menu's default next time. */
const KEY = 'reach.lastWorld';

/** As stored; untrusted (shared/game/world-choice validates it). */
export function readLastWorld(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveLastWorld(world: PlayedWorld): void {
  try {
    localStorage.setItem(KEY, world);
  } catch {
    // Storage full or denied: the menu then offers the orchard by default, nothing more.
  }
}
