import { Suspense } from 'react';
import { DefaultXRHand, XRHandModel } from '@react-three/xr';
import { addHandOutline } from './hand-outline';

/**
 * The tracked hand as @react-three/xr draws it (its model, touch and ray pointers), with a dark
 * rim on the model so it is seen against the worlds' light grounds (hand-outline.ts). No grab
 * pointer: nothing in the game is grabbed through pointer events (the grasp task reads the hand
 * itself), and each pointer tests what it touches every frame.
 */
export function OutlinedHand() {
  return (
    <>
      <Suspense>
        <XRHandModel
          ref={(model) => {
            if (model !== null) addHandOutline(model);
          }}
        />
      </Suspense>
      <DefaultXRHand model={false} grabPointer={false} />
    </>
  );
}
