import type { Arm, Vec3 } from '../protocol';

/**
 * The play space is anchored at session start with the patient facing -z (the WebXR convention),
 * y up. "Outward" is toward the side of the arm being trained; "across" is over the midline.
 */
export const outwardSign = (arm: Arm): 1 | -1 => (arm === 'right' ? 1 : -1);

export interface ArmAxes {
  /** Components of a play-space offset in the arm's frame. */
  outward: number;
  up: number;
  forward: number;
}

export function toArmAxes(arm: Arm, offset: Vec3, out: ArmAxes): ArmAxes {
  out.outward = offset[0] * outwardSign(arm);
  out.up = offset[1];
  out.forward = -offset[2];
  return out;
}

export function fromArmAxes(arm: Arm, outward: number, up: number, forward: number): Vec3 {
  return [outward * outwardSign(arm), up, -forward];
}
