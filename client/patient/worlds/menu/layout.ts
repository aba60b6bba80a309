import type { Vec3 } from '../../../../shared/protocol';
import type { OfferedWorld } from '../../../../shared/game/world-choice';

/**
 * Where the world menu's cards are this frame, in the XR reference space (what the headset's
 * tracking reports): the test handle reads it so an emulated controller or hand can aim at them.
 */
export const worldMenuLayout = {
  visible: false,
  cards: {
    orchard: [0, 0, 0] as Vec3,
    lantern: [0, 0, 0] as Vec3,
    reef: [0, 0, 0] as Vec3,
  } satisfies Record<OfferedWorld, Vec3>,
  /** The cards' facing direction (toward the patient). */
  normal: [0, 0, 1] as Vec3,
};
