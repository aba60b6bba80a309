import {
  HAND_JOINTS,
  type HandPose,
  type PoseFrame,
  type PoseTransform,
} from '../../../shared/protocol';
import { toPlayAt, toPlayQuaternionInto, type PlayAnchor } from './anchor';

function writeTransform(transform: XRRigidTransform, anchor: PlayAnchor, out: PoseTransform): void {
  const p = transform.position;
  const q = transform.orientation;
  toPlayAt(anchor, p.x, p.y, p.z, out.position, 0);
  toPlayQuaternionInto(anchor, q.x, q.y, q.z, q.w, out.quaternion);
}

/** Wrist pose and the mirror's joints; false when the runtime lost any of them this frame. */
function captureHand(
  frame: XRFrame,
  hand: XRHand,
  space: XRSpace,
  anchor: PlayAnchor,
  out: HandPose,
): boolean {
  const wristSpace = hand.get('wrist');
  const wrist = wristSpace ? frame.getJointPose?.(wristSpace, space) : undefined;
  if (!wrist) return false;
  writeTransform(wrist.transform, anchor, out);
  for (let j = 0; j < HAND_JOINTS.length; j++) {
    const jointSpace = hand.get(HAND_JOINTS[j]!);
    const pose = jointSpace ? frame.getJointPose?.(jointSpace, space) : undefined;
    if (!pose) return false;
    const p = pose.transform.position;
    toPlayAt(anchor, p.x, p.y, p.z, out.joints, j * 3);
  }
  return true;
}

/**
 * Fills `out` with this XR frame's head, controller grips and tracked hands, in play space (what
 * the therapist's mirror draws, next to the targets). Writes into the caller's frame; indexed
 * loops, so no iterator is created. The runtime's own pose objects are the only allocations.
 */
export function capturePoses(
  frame: XRFrame,
  space: XRReferenceSpace,
  anchor: PlayAnchor,
  out: PoseFrame,
): void {
  const present = out.present;
  const viewer = frame.getViewerPose(space);
  present.head = viewer !== undefined && viewer !== null;
  if (viewer) writeTransform(viewer.transform, anchor, out.head);
  present.leftController = false;
  present.rightController = false;
  present.leftHand = false;
  present.rightHand = false;
  const sources = frame.session.inputSources;
  for (let i = 0; i < sources.length; i++) {
    const source = sources[i]!;
    const left = source.handedness === 'left';
    if (!left && source.handedness !== 'right') continue;
    if (source.hand) {
      const hand = left ? out.leftHand : out.rightHand;
      const tracked = captureHand(frame, source.hand, space, anchor, hand);
      if (left) present.leftHand = tracked;
      else present.rightHand = tracked;
      continue;
    }
    if (!source.gripSpace) continue;
    const grip = frame.getPose(source.gripSpace, space);
    if (!grip) continue;
    writeTransform(grip.transform, anchor, left ? out.leftController : out.rightController);
    if (left) present.leftController = true;
    else present.rightController = true;
  }
}
