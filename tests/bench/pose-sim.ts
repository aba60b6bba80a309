import {
  HAND_JOINTS,
  POSE_PARTS,
  type HandPose,
  type PoseFrame,
  type PoseTransform,
} from '../../shared/protocol';

/** Fingertips and knuckles spread around the wrist, a few centimetres apart. */
const JOINT_OFFSETS = HAND_JOINTS.map((_, j) => [
  ((j % 5) - 2) * 0.02,
  0.01 * (j % 2),
  -0.04 - 0.03 * Math.floor(j / 2) * (j % 2),
]);

function setTransform(pose: PoseTransform, x: number, y: number, z: number, yaw: number) {
  pose.position[0] = x;
  pose.position[1] = y;
  pose.position[2] = z;
  pose.quaternion[0] = 0;
  pose.quaternion[1] = Math.sin(yaw / 2);
  pose.quaternion[2] = 0;
  pose.quaternion[3] = Math.cos(yaw / 2);
}

function setHand(hand: HandPose, x: number, y: number, z: number, yaw: number) {
  setTransform(hand, x, y, z, yaw);
  for (let j = 0; j < HAND_JOINTS.length; j++) {
    const offset = JOINT_OFFSETS[j]!;
    hand.joints[j * 3] = x + offset[0]!;
    hand.joints[j * 3 + 1] = y + offset[1]!;
    hand.joints[j * 3 + 2] = z + offset[2]!;
  }
}

/**
 * A seated patient reaching back and forth: the head sways, the hands (or controllers) move.
 * Writes into `frame`, allocation-free, like the headset's own frame loop.
 */
export function simulatePose(frame: PoseFrame, seconds: number, input: 'hands' | 'controllers') {
  const reach = 0.5 - 0.5 * Math.cos(seconds * 1.3);
  frame.timeMs = seconds * 1000;
  frame.present.head = true;
  frame.present.leftHand = input === 'hands';
  frame.present.rightHand = input === 'hands';
  frame.present.leftController = input === 'controllers';
  frame.present.rightController = input === 'controllers';
  setTransform(
    frame.head,
    0.02 * Math.sin(seconds),
    1.25,
    0.01 * reach,
    0.1 * Math.sin(seconds * 0.7),
  );
  if (input === 'hands') {
    setHand(
      frame.rightHand,
      0.2 + 0.1 * reach,
      1.0 + 0.15 * reach,
      -0.2 - 0.35 * reach,
      0.3 * reach,
    );
    setHand(frame.leftHand, -0.25, 0.85, -0.15, -0.2);
  } else {
    setTransform(
      frame.rightController,
      0.2 + 0.1 * reach,
      1.0 + 0.15 * reach,
      -0.2 - 0.35 * reach,
      0.3 * reach,
    );
    setTransform(frame.leftController, -0.25, 0.85, -0.15, -0.2);
  }
}

/**
 * The obvious JSON a first version would send: every present part as plain arrays of the same
 * float32 numbers (printed at full double precision, as JSON.stringify does).
 */
export function poseFrameToJson(frame: PoseFrame): Record<string, unknown> {
  const json: Record<string, unknown> = { sequence: frame.sequence, timeMs: frame.timeMs };
  for (const part of POSE_PARTS) {
    if (!frame.present[part]) continue;
    const pose = frame[part];
    json[part] = {
      position: Array.from(pose.position),
      quaternion: Array.from(pose.quaternion),
      ...('joints' in pose ? { joints: Array.from(pose.joints) } : {}),
    };
  }
  return json;
}
