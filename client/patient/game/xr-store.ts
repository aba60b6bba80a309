import { createXRStore } from '@react-three/xr';
import { OutlinedHand } from './OutlinedHand';

/** The frame rate the game asks the headset for (the closest it offers). */
export const XR_FRAME_RATE = 72;

const closestTo = (wanted: number) => (rates: ArrayLike<number>) => {
  let best: number | false = false;
  for (let i = 0; i < rates.length; i++) {
    const r = rates[i]!;
    if (best === false || Math.abs(r - wanted) < Math.abs(best - wanted)) best = r;
  }
  return best;
};

/**
 * Must be created after the emulator (if any) is installed: it reads navigator.xr. Controller
 * and hand layouts come from the server's own copy so the game works offline. Hands are drawn with
 * a dark rim (OutlinedHand).
 */
export const createGameXRStore = () =>
  createXRStore({
    emulate: false,
    offerSession: false,
    frameRate: closestTo(XR_FRAME_RATE),
    baseAssetPath: new URL('/xr-profiles/', location.href).href,
    handTracking: true,
    hand: OutlinedHand,
    // the ray presses the menu and the rating prompt; nothing is grabbed through pointer events
    controller: { grabPointer: false },
  });

export type GameXRStore = ReturnType<typeof createGameXRStore>;
