import { describe, expect, it } from 'vitest';
import {
  createPoseFrame,
  encodePoseFrame,
  MAX_POSE_FRAME_BYTES,
  type PoseFrame,
} from '../../../shared/protocol/pose-codec';
import {
  createPoseRing,
  isStreamStale,
  playbackTimeMs,
  pushPoseBytes,
  RENDER_DELAY_MS,
  samplePoseRing,
  slerpQuaternion,
} from '../../../client/therapist/live/interpolation';

function frameBytes(timeMs: number, rightX: number, setup?: (f: PoseFrame) => void): Uint8Array {
  const frame = createPoseFrame();
  frame.timeMs = timeMs;
  frame.present.head = true;
  frame.present.rightController = true;
  frame.head.position.set([0, 1.6, 0]);
  frame.rightController.position.set([rightX, 1, -0.3]);
  setup?.(frame);
  const out = new DataView(new ArrayBuffer(MAX_POSE_FRAME_BYTES));
  const length = encodePoseFrame(frame, out);
  return new Uint8Array(out.buffer, 0, length);
}

describe('pose ring and interpolation', () => {
  it('interpolates positions linearly between the frames around the time', () => {
    const ring = createPoseRing(8);
    expect(pushPoseBytes(ring, frameBytes(1000, 0.1), 5000)).toBe(true);
    expect(pushPoseBytes(ring, frameBytes(1100, 0.3), 5100)).toBe(true);
    const out = createPoseFrame();
    expect(samplePoseRing(ring, 1025, out)).toBe(true);
    expect(out.rightController.position[0]).toBeCloseTo(0.15, 6);
    expect(out.timeMs).toBe(1025);
    expect(out.present.rightController).toBe(true);
    expect(out.present.leftHand).toBe(false);
  });

  it('holds at the ends instead of extrapolating', () => {
    const ring = createPoseRing(8);
    pushPoseBytes(ring, frameBytes(1000, 0.1), 5000);
    pushPoseBytes(ring, frameBytes(1100, 0.3), 5100);
    const out = createPoseFrame();
    samplePoseRing(ring, 900, out);
    expect(out.rightController.position[0]).toBeCloseTo(0.1, 6);
    samplePoseRing(ring, 5000, out);
    expect(out.rightController.position[0]).toBeCloseTo(0.3, 6);
  });

  it('returns false with no frames', () => {
    expect(samplePoseRing(createPoseRing(4), 0, createPoseFrame())).toBe(false);
  });

  it('drops invalid, late and duplicate frames but restarts on a new session clock', () => {
    const ring = createPoseRing(8);
    expect(pushPoseBytes(ring, new Uint8Array([9, 9, 9]), 0)).toBe(false);
    pushPoseBytes(ring, frameBytes(20_000, 0.1), 1000);
    expect(pushPoseBytes(ring, frameBytes(20_000, 0.2), 1010)).toBe(false);
    expect(pushPoseBytes(ring, frameBytes(19_900, 0.2), 1020)).toBe(false);
    expect(ring.count).toBe(1);
    expect(pushPoseBytes(ring, frameBytes(50, 0.5), 1030)).toBe(true);
    expect(ring.count).toBe(1);
    const out = createPoseFrame();
    samplePoseRing(ring, 50, out);
    expect(out.rightController.position[0]).toBeCloseTo(0.5, 6);
  });

  it('keeps the newest frames when full', () => {
    const ring = createPoseRing(3);
    for (let i = 0; i < 5; i++) pushPoseBytes(ring, frameBytes(i * 100, i / 10), i * 100);
    expect(ring.count).toBe(3);
    const out = createPoseFrame();
    samplePoseRing(ring, 0, out);
    expect(out.timeMs).toBe(200);
    samplePoseRing(ring, 350, out);
    expect(out.rightController.position[0]).toBeCloseTo(0.35, 6);
  });

  it('plays RENDER_DELAY_MS behind the least delayed frame', () => {
    const ring = createPoseRing(8);
    pushPoseBytes(ring, frameBytes(1000, 0), 10_050);
    pushPoseBytes(ring, frameBytes(1033, 0), 10_060);
    expect(ring.clockOffsetMs).toBe(9027);
    expect(playbackTimeMs(ring, 10_127)).toBe(1100 - RENDER_DELAY_MS);
  });

  it('interpolates hand joints and takes a part present in one frame from that frame', () => {
    const ring = createPoseRing(8);
    pushPoseBytes(
      ring,
      frameBytes(0, 0, (f) => {
        f.present.leftHand = true;
        f.leftHand.joints[0] = 0.1;
      }),
      0,
    );
    pushPoseBytes(
      ring,
      frameBytes(100, 0, (f) => {
        f.present.leftHand = true;
        f.leftHand.joints[0] = 0.3;
        f.present.rightHand = true;
        f.rightHand.position.set([0.4, 1, 0]);
      }),
      100,
    );
    const out = createPoseFrame();
    samplePoseRing(ring, 50, out);
    expect(out.leftHand.joints[0]).toBeCloseTo(0.2, 6);
    expect(out.present.rightHand).toBe(true);
    expect(out.rightHand.position[0]).toBeCloseTo(0.4, 6);
  });

  it('is stale after a second without frames', () => {
    const ring = createPoseRing(4);
    expect(isStreamStale(ring, 0)).toBe(true);
    pushPoseBytes(ring, frameBytes(0, 0), 1000);
    expect(isStreamStale(ring, 2000)).toBe(false);
    expect(isStreamStale(ring, 2001)).toBe(true);
  });
});

describe('slerpQuaternion', () => {
  it('halves a 90 degree turn about y', () => {
    const a = new Float32Array([0, 0, 0, 1]);
    const b = new Float32Array([0, Math.SQRT1_2, 0, Math.SQRT1_2]);
    const out = new Float32Array(4);
    slerpQuaternion(a, b, 0.5, out);
    expect(out[1]).toBeCloseTo(Math.sin(Math.PI / 8), 6);
    expect(out[3]).toBeCloseTo(Math.cos(Math.PI / 8), 6);
  });

  it('takes the shorter arc when the quaternions have opposite signs', () => {
    const a = new Float32Array([0, 0, 0, 1]);
    const b = new Float32Array([0, -Math.SQRT1_2, 0, -Math.SQRT1_2]);
    const out = new Float32Array(4);
    slerpQuaternion(a, b, 0.5, out);
    expect(out[1]).toBeCloseTo(Math.sin(Math.PI / 8), 6);
    expect(out[3]).toBeCloseTo(Math.cos(Math.PI / 8), 6);
  });
});
