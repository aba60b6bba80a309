import { describe, expect, it } from 'vitest';
import { Euler, Matrix4, Quaternion, Vector3 } from 'three';
import {
  JOINT,
  XRPoseReader,
  jointGap,
  type HeadPose,
  type PoseFrame,
} from '../../../client/patient/game/xr-poses';

/** A pose as a WebXR transform's matrix (column-major, as fillPoses writes it). */
function poseMatrix(
  position: [number, number, number],
  euler: [number, number, number],
): Float32Array {
  const q = new Quaternion().setFromEuler(new Euler(...euler, 'YXZ'));
  return new Float32Array(
    new Matrix4().compose(new Vector3(...position), q, new Vector3(1, 1, 1)).elements,
  );
}

const space = {} as XRSpace;
const viewerSpace = { name: 'viewer' } as unknown as XRReferenceSpace;

/** A frame whose every space sits at the matrix given for it, and whose viewer sits at `head`. */
function frameWith(
  head: Float32Array,
  poses: Map<XRSpace, Float32Array>,
  withFillPoses = true,
): PoseFrame {
  const all = new Map(poses).set(viewerSpace, head);
  const frame: PoseFrame = {
    getViewerPose: () => {
      const m = new Matrix4().fromArray(head);
      const p = new Vector3();
      const q = new Quaternion();
      m.decompose(p, q, new Vector3());
      return { transform: { position: p, orientation: q } } as unknown as XRViewerPose;
    },
    getPose: () => undefined,
  };
  if (withFillPoses)
    frame.fillPoses = (spaces, _base, out) => {
      spaces.forEach((s, i) => out.set(all.get(s)!, i * 16));
      return true;
    };
  return frame;
}

const session = () => ({ requestReferenceSpace: () => Promise.resolve(viewerSpace) });
const headPose = (): HeadPose => ({ position: [0, 0, 0], quaternion: [0, 0, 0, 1] });

describe('XRPoseReader', () => {
  const head = poseMatrix([0.1, 1.25, -0.3], [0.2, 0.6, 0]);

  it('reads the head with fillPoses once the viewer space is there, as getViewerPose gives it', async () => {
    const reader = new XRPoseReader();
    const frame = frameWith(head, new Map());
    const before = headPose();
    reader.watchSession(session());
    // the viewer space comes later: until then the head is read with getViewerPose
    expect(reader.readHead(frame, space, before)).toBe(true);
    await Promise.resolve();
    const after = headPose();
    let filled = 0;
    const fill = frame.fillPoses!;
    frame.fillPoses = (...args) => {
      filled++;
      return fill(...args);
    };
    expect(reader.readHead(frame, space, after)).toBe(true);
    expect(filled).toBe(1);
    expect(after.position).toEqual([head[12], head[13], head[14]]);
    after.quaternion.forEach((v, i) => expect(v).toBeCloseTo(before.quaternion[i]!, 6));
    expect(before.quaternion[1]).toBeCloseTo(Math.sin(0.3) * Math.cos(0.1), 6);
  });

  it('keeps to getViewerPose where the browser has no fillPoses', async () => {
    const reader = new XRPoseReader();
    reader.watchSession(session());
    await Promise.resolve();
    const out = headPose();
    expect(reader.readHead(frameWith(head, new Map(), false), space, out)).toBe(true);
    expect(out.position.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.1, 1.25, -0.3]);
  });

  it("reads a hand's effector and gesture joints in one call, and none when a joint is missing", () => {
    const joints = new Map<XRHandJoint, XRSpace>();
    const poses = new Map<XRSpace, Float32Array>();
    const at: Record<string, [number, number, number]> = {
      'index-finger-tip': [0.3, 1.0, -0.4],
      'thumb-tip': [0.31, 1.0, -0.4],
      'middle-finger-tip': [0.3, 0.95, -0.45],
      wrist: [0.3, 0.95, -0.3],
    };
    for (const [name, position] of Object.entries(at)) {
      const s = { name } as unknown as XRSpace;
      joints.set(name as XRHandJoint, s);
      poses.set(s, poseMatrix(position, [0, 0, 0]));
    }
    const hand = { get: (j: XRHandJoint) => joints.get(j) } as unknown as XRHand;
    const reader = new XRPoseReader();
    const m = reader.readHand(frameWith(head, poses), 'right', hand, 'index-finger-tip', space)!;
    expect([m[JOINT.effector + 12], m[JOINT.effector + 13], m[JOINT.effector + 14]]).toEqual([
      Math.fround(0.3),
      Math.fround(1.0),
      Math.fround(-0.4),
    ]);
    expect(jointGap(m, JOINT.thumbTip, JOINT.indexTip)).toBeCloseTo(0.01, 6);
    expect(jointGap(m, JOINT.middleTip, JOINT.wrist)).toBeCloseTo(0.15, 6);
    const noWrist = {
      get: (j: XRHandJoint) => (j === 'wrist' ? undefined : joints.get(j)),
    } as unknown as XRHand;
    expect(
      reader.readHand(frameWith(head, poses), 'right', noWrist, 'index-finger-tip', space),
    ).toBeNull();
  });
});

describe('XRPoseReader.readGrip', () => {
  const gripSpace = { name: 'grip' } as unknown as XRSpace;
  const grip = poseMatrix([-0.25, 0.9, -0.35], [0.4, -0.2, 0.1]);

  it('reads a controller grip with fillPoses, or getPose where there is none, to the same place', () => {
    const reader = new XRPoseReader();
    const filled: [number, number, number] = [0, 0, 0];
    const frame = frameWith(grip, new Map([[gripSpace, grip]]));
    expect(reader.readGrip(frame, 'left', gripSpace, space, filled)).toBe(true);
    expect(filled).toEqual([Math.fround(-0.25), Math.fround(0.9), Math.fround(-0.35)]);
    const withoutFill = frameWith(grip, new Map(), false);
    withoutFill.getPose = () =>
      ({ transform: { position: { x: grip[12], y: grip[13], z: grip[14] } } }) as unknown as XRPose;
    const got: [number, number, number] = [0, 0, 0];
    expect(reader.readGrip(withoutFill, 'left', gripSpace, space, got)).toBe(true);
    expect(got).toEqual(filled);
  });

  it('is not tracked when the browser cannot locate it', () => {
    const frame = frameWith(grip, new Map());
    frame.fillPoses = () => false;
    expect(new XRPoseReader().readGrip(frame, 'right', gripSpace, space, [0, 0, 0])).toBe(false);
  });
});
