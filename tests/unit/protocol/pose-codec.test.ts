import { describe, expect, it } from 'vitest';
import {
  HAND_JOINTS,
  MAX_POSE_FRAME_BASE64_LENGTH,
  MAX_POSE_FRAME_BYTES,
  createPoseFrame,
  decodePoseFrame,
  encodePoseFrame,
  poseFrameFromBase64,
  poseFrameLength,
  poseFrameToBase64,
} from '../../../shared/protocol';

function sampleFrame() {
  const frame = createPoseFrame();
  frame.sequence = 70_001; // wraps to 16 bits on the wire
  frame.timeMs = 123_456;
  frame.present.head = true;
  frame.head.position.set([0.1234, 1.6009, -0.25]);
  frame.head.quaternion.set([0, 0.7071068, 0, 0.7071068]);
  frame.present.rightController = true;
  frame.rightController.position.set([0.3, 1.1, -0.4]);
  frame.present.leftHand = true;
  frame.leftHand.position.set([-0.2, 1.0, -0.3]);
  for (let j = 0; j < frame.leftHand.joints.length; j++) frame.leftHand.joints[j] = -0.5 + j * 0.01;
  return frame;
}

describe('pose codec', () => {
  it('round-trips to millimetre precision in the advertised length', () => {
    const out = new DataView(new ArrayBuffer(MAX_POSE_FRAME_BYTES));
    const length = encodePoseFrame(sampleFrame(), out);
    expect(length).toBe(8 + 14 + 14 + 14 + HAND_JOINTS.length * 6);
    const decoded = createPoseFrame();
    expect(decodePoseFrame(new Uint8Array(out.buffer, 0, length), decoded)).toBe(true);
    expect(decoded.sequence).toBe(70_001 & 0xffff);
    expect(decoded.timeMs).toBe(123_456);
    expect(decoded.present).toEqual({
      head: true,
      leftController: false,
      rightController: true,
      leftHand: true,
      rightHand: false,
    });
    expect(decoded.head.position[0]).toBeCloseTo(0.123, 6);
    expect(decoded.head.position[1]).toBeCloseTo(1.601, 6);
    expect(decoded.head.quaternion[1]).toBeCloseTo(0.7071068, 4);
    expect(decoded.rightController.position[2]).toBeCloseTo(-0.4, 6);
    expect(decoded.leftHand.joints[29]).toBeCloseTo(-0.21, 6);
  });

  it('clamps positions beyond ±32.767 m instead of wrapping around', () => {
    const frame = createPoseFrame();
    frame.present.head = true;
    frame.head.position.set([100, -100, 0]);
    const out = new DataView(new ArrayBuffer(MAX_POSE_FRAME_BYTES));
    const length = encodePoseFrame(frame, out);
    const decoded = createPoseFrame();
    decodePoseFrame(new Uint8Array(out.buffer, 0, length), decoded);
    expect(decoded.head.position[0]).toBeCloseTo(32.767, 5);
    expect(decoded.head.position[1]).toBeCloseTo(-32.767, 5);
  });

  it('rejects truncated, padded, unknown-version and unknown-part frames', () => {
    const out = new DataView(new ArrayBuffer(MAX_POSE_FRAME_BYTES));
    const length = encodePoseFrame(sampleFrame(), out);
    const bytes = new Uint8Array(out.buffer, 0, length);
    const decoded = createPoseFrame();
    expect(decodePoseFrame(bytes.slice(0, length - 1), decoded)).toBe(false);
    expect(decodePoseFrame(new Uint8Array(length + 1), decoded)).toBe(false);
    const wrongVersion = bytes.slice();
    wrongVersion[0] = 9;
    expect(decodePoseFrame(wrongVersion, decoded)).toBe(false);
    expect(poseFrameLength(1 << 6)).toBe(-1);
    expect(decodePoseFrame(new Uint8Array(3), decoded)).toBe(false);
  });

  it('keeps a frame with both tracked hands and the head under 200 bytes', () => {
    expect(poseFrameLength(0b11001)).toBe(8 + 14 + 2 * (14 + 60));
    expect(MAX_POSE_FRAME_BYTES).toBeLessThan(200);
  });
});

describe('pose frame base64', () => {
  it('round-trips an encoded frame through text into a caller-owned buffer', () => {
    const encoded = new Uint8Array(MAX_POSE_FRAME_BYTES);
    const length = encodePoseFrame(sampleFrame(), new DataView(encoded.buffer));
    const text = poseFrameToBase64(encoded, length);
    expect(text).toBe(Buffer.from(encoded.subarray(0, length)).toString('base64'));
    expect(text).toHaveLength(4 * Math.ceil(length / 3));
    const out = new Uint8Array(MAX_POSE_FRAME_BYTES);
    const bytes = poseFrameFromBase64(text, out);
    expect(bytes?.buffer).toBe(out.buffer);
    expect(Array.from(bytes!)).toEqual(Array.from(encoded.subarray(0, length)));
    const decoded = createPoseFrame();
    expect(decodePoseFrame(bytes!, decoded)).toBe(true);
    expect(decoded.sequence).toBe(70_001 & 0xffff);
  });

  it('encodes exact bytes, including padding', () => {
    expect(poseFrameToBase64(new Uint8Array([1, 0xff, 0, 0, 9]), 4)).toBe('Af8AAA==');
    expect(Array.from(poseFrameFromBase64('Af8AAA==')!)).toEqual([1, 0xff, 0, 0]);
    expect(poseFrameFromBase64('')!.byteLength).toBe(0);
  });

  it('refuses text longer than the largest frame', () => {
    expect(MAX_POSE_FRAME_BASE64_LENGTH).toBe(264);
    const largest = 'A'.repeat(MAX_POSE_FRAME_BASE64_LENGTH);
    expect(poseFrameFromBase64(largest)!.byteLength).toBe(198);
    expect(poseFrameFromBase64(largest + 'AAAA')).toBeNull();
  });

  it('refuses characters and shapes that are not base64', () => {
    expect(poseFrameFromBase64('Af8A AA==')).toBeNull();
    expect(poseFrameFromBase64('Af8A-A==')).toBeNull();
    expect(poseFrameFromBase64('Af8AAA=A')).toBeNull();
    expect(poseFrameFromBase64('Af8AAA===')).toBeNull();
    expect(poseFrameFromBase64('A')).toBeNull();
  });
});
