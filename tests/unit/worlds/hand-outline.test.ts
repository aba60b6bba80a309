import { describe, expect, it } from 'vitest';
import {
  BackSide,
  Bone,
  BoxGeometry,
  Group,
  MeshStandardMaterial,
  Skeleton,
  SkinnedMesh,
  type WebGLProgramParametersWithUniforms,
} from 'three';
import {
  addHandOutline,
  HAND_OUTLINE_COLOUR,
  handOutlineMaterial,
} from '../../../client/patient/game/hand-outline';

/** A hand model as the input profile's glTF gives it: a group holding a skinned mesh and its bone. */
function handModel() {
  const bone = new Bone();
  const hand = new SkinnedMesh(new BoxGeometry(0.08, 0.02, 0.18), new MeshStandardMaterial());
  hand.add(bone);
  hand.bind(new Skeleton([bone]));
  const model = new Group();
  model.add(hand);
  return { model, hand };
}

describe('the rim around a tracked hand', () => {
  it('adds one dark back-face hull sharing the hand geometry and skeleton, once', () => {
    const { model, hand } = handModel();
    addHandOutline(model);
    addHandOutline(model); // a callback ref may see the same model again
    const rims = hand.children.filter((c) => c.name === 'hand-outline');
    expect(rims).toHaveLength(1);
    const rim = rims[0] as SkinnedMesh;
    expect(rim.geometry).toBe(hand.geometry);
    expect(rim.skeleton).toBe(hand.skeleton);
    expect(rim.bindMatrix.equals(hand.bindMatrix)).toBe(true);
    expect(rim.frustumCulled).toBe(false);
    expect(rim.material).toBe(handOutlineMaterial());
    expect(handOutlineMaterial().side).toBe(BackSide);
    expect(handOutlineMaterial().color.getHex()).toBe(HAND_OUTLINE_COLOUR);
  });

  it('pushes the hull 4 mm out along the skinned normals', () => {
    const shader = {
      vertexShader: 'void main() {\n\t#include <skinning_vertex>\n\t#include <project_vertex>\n}',
    } as WebGLProgramParametersWithUniforms;
    handOutlineMaterial().onBeforeCompile(shader, undefined as never);
    expect(shader.vertexShader).toBe(
      'void main() {\n\t#include <skinning_vertex>\n\ttransformed += normalize( objectNormal ) * 0.0040;\n\t#include <project_vertex>\n}',
    );
  });

  it('leaves a model without a skinned mesh alone', () => {
    const model = new Group();
    addHandOutline(model);
    expect(model.children).toHaveLength(0);
    expect(model.userData.reachOutline).toBeUndefined();
  });
});
