import type { Vec3 } from '../../../shared/protocol';

/**
 * Where the prompt's controls are this frame, in the XR reference space (what the headset's
 * tracking reports): the test handle reads it so an emulated controller can aim at them.
 */
export const ratingPromptLayout = {
  visible: false,
  effort: { start: [0, 0, 0] as Vec3, end: [0, 0, 0] as Vec3 },
  pain: { start: [0, 0, 0] as Vec3, end: [0, 0, 0] as Vec3 },
  done: [0, 0, 0] as Vec3,
  skip: [0, 0, 0] as Vec3,
  /** The board's facing direction (toward the patient). */
  normal: [0, 0, 1] as Vec3,
  effortValue: null as number | null,
  painValue: null as number | null,
};
