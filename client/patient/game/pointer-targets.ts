import { useCallback, type RefCallback, type RefObject } from 'react';
import { useThree } from '@react-three/fiber';
import type { Object3D } from 'three';

/**
 * The XR pointers (controller rays, fingers' pokes) search the whole scene every frame for objects
 * that take pointer events, though only the world menu and the set-end rating prompt do, and only
 * while they are shown: a quarter of the game's frame time during play. The scene is told its
 * interactive objects instead (`interactableDescendants`, @pmndrs/pointer-events), an empty list
 * while neither is shown. Called once, when the canvas is created.
 */
export function limitPointerTargets(scene: Object3D): void {
  scene.interactableDescendants = [];
}

/**
 * A ref for the root of something that takes pointer events: it is searched while mounted. `ref`,
 * if given, is set as well (the component's own use of the object).
 */
export function usePointerTarget<T extends Object3D>(ref?: RefObject<T | null>): RefCallback<T> {
  const scene = useThree((s) => s.scene);
  return useCallback(
    (object: T | null) => {
      if (ref) ref.current = object;
      if (object === null) return;
      const targets = scene.interactableDescendants;
      targets?.push(object);
      return () => {
        if (ref) ref.current = null;
        const at = targets?.indexOf(object) ?? -1;
        if (at >= 0) targets!.splice(at, 1);
      };
    },
    [scene, ref],
  );
}
