import { BackSide, MeshBasicMaterial, SkinnedMesh, type Object3D } from 'three';

/**
 * A dark rim around the tracked hand, so a patient sees it against any world. The hand model is a
 * light grey: against the worlds' light grounds it measured 1.1 to 1.3 : 1 in the test suite's
 * screenshots (orchard, lantern, reef; 7.4 : 1 in the dark plain room), far under the 3 : 1 that
 * WCAG asks of a graphic a user must see. The rim (an inverted hull: the hand's own skinned
 * geometry pushed out along its normals, back faces only) is dark on a light ground and, on a
 * dark ground, the light hand itself stands out.
 */
export const HAND_OUTLINE_COLOUR = 0x101820;
/** Metres the rim stands out of the hand's surface. */
export const HAND_OUTLINE_WIDTH_M = 0.004;

let material: MeshBasicMaterial | null = null;

/** One material for both hands: MeshBasic, back faces, pushed out after skinning. */
export function handOutlineMaterial(): MeshBasicMaterial {
  if (material !== null) return material;
  material = new MeshBasicMaterial({ color: HAND_OUTLINE_COLOUR, side: BackSide });
  material.onBeforeCompile = (shader) => {
    // objectNormal is the skinned normal here: MeshBasic computes it when skinning.
    shader.vertexShader = shader.vertexShader.replace(
      '#include <skinning_vertex>',
      `#include <skinning_vertex>\n\ttransformed += normalize( objectNormal ) * ${HAND_OUTLINE_WIDTH_M.toFixed(4)};`,
    );
  };
  material.customProgramCacheKey = () => 'reach-hand-outline';
  return material;
}

/**
 * Adds the rim to a loaded hand model (once: a model already rimmed is left alone). The rim shares
 * the hand's geometry and skeleton, so it follows every joint with no work of its own per frame.
 */
export function addHandOutline(model: Object3D): void {
  if (model.userData.reachOutline === true) return;
  let hand: SkinnedMesh | null = null;
  model.traverse((child) => {
    if (hand === null && child instanceof SkinnedMesh) hand = child;
  });
  if (hand === null) return;
  const skinned: SkinnedMesh = hand;
  const rim = new SkinnedMesh(skinned.geometry, handOutlineMaterial());
  rim.name = 'hand-outline';
  rim.bind(skinned.skeleton, skinned.bindMatrix);
  rim.frustumCulled = false;
  rim.renderOrder = skinned.renderOrder;
  // A child with no transform of its own: the same model matrix as the hand it rims.
  skinned.add(rim);
  model.userData.reachOutline = true;
}
