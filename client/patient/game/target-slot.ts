import { useRef } from 'react';
import type { GameSession } from './game-session';
import type { SceneTarget } from './store';

export interface TargetSlot {
  target: SceneTarget;
  shown: boolean;
  /** The trial it was shown for: a new one appears (animation, sound) when this changes. */
  trialNumber: number;
}

export type TargetKinds = readonly SceneTarget['kind'][];

/**
 * The session's target of the given kinds, kept after the trial ends so that what draws it stays
 * mounted, hidden, until the next one: unmounting it each trial disposed its material, and three
 * then compiled the material's shader program again for the next target (about 1.7 MB of
 * short-lived strings a trial, and a GC pause in the frame). Null until the first one is shown.
 */
export function useTargetSlot(game: GameSession, kinds: TargetKinds): TargetSlot | null {
  const current = game.store((s) => s.targets.find((t) => kinds.includes(t.kind)) ?? null);
  const trialNumber = game.store((s) => s.trialNumber);
  const last = useRef<TargetSlot | null>(null);
  if (current !== null) last.current = { target: current, shown: true, trialNumber };
  else if (last.current !== null && last.current.shown)
    last.current = { ...last.current, shown: false };
  return last.current;
}
