import {
  createPoseFrame,
  encodePoseFrame,
  MAX_POSE_FRAME_BYTES,
  poseFrameToBase64,
} from '../../shared/protocol';

/** A valid pose frame as sent (base64); `sequence` (u16) lets a watcher match it to its send time. */
export function poseFrameText(sequence: number): string {
  const frame = createPoseFrame();
  frame.sequence = sequence & 0xffff;
  frame.timeMs = sequence * 33;
  frame.present.head = true;
  frame.head.position.set([0, 1.6, 0.1]);
  frame.present.rightController = true;
  frame.rightController.position.set([0.2, 1.1, -0.3]);
  const out = new Uint8Array(MAX_POSE_FRAME_BYTES);
  return poseFrameToBase64(out, encodePoseFrame(frame, new DataView(out.buffer)));
}
