import { Matrix4, Quaternion } from 'three';

/** The hand joints read each frame, in this order after the effector: pinch and fist gestures. */
const GESTURE_JOINTS: readonly XRHandJoint[] = [
  'thumb-tip',
  'index-finger-tip',
  'middle-finger-tip',
  'wrist',
];
/** Where each joint's matrix starts in a hand's buffer (16 numbers a joint, effector first). */
export const JOINT = { effector: 0, thumbTip: 16, indexTip: 32, middleTip: 48, wrist: 64 } as const;

/** What the head reads: a position and an orientation (x, y, z, w), in the reference space. */
export interface HeadPose {
  position: [number, number, number];
  quaternion: [number, number, number, number];
}

/** The part of an XRFrame this reads (a test passes its own). */
export type PoseFrame = Pick<XRFrame, 'getViewerPose' | 'getPose'> & {
  fillPoses?: (spaces: XRSpace[], baseSpace: XRSpace, transforms: Float32Array) => boolean;
};

interface HandSlot {
  hand: XRHand | null;
  effector: XRHandJoint | null;
  spaces: XRSpace[];
  matrices: Float32Array;
}

const handSlot = (): HandSlot => ({
  hand: null,
  effector: null,
  spaces: [],
  matrices: new Float32Array(16 * (1 + GESTURE_JOINTS.length)),
});

interface GripSlot {
  spaces: XRSpace[];
  matrix: Float32Array;
}

const gripSlot = (): GripSlot => ({ spaces: [], matrix: new Float32Array(16) });

/**
 * Reads head, controller and hand-joint poses with `XRFrame.fillPoses` into buffers kept from frame to frame:
 * `getViewerPose` builds both eyes' views and every `getPose` an XRPose, a transform and two
 * points, which the frame loop would allocate several times a frame. Where a browser lacks
 * `fillPoses` (hands need it: it belongs to the same WebXR module) or the viewer space is not
 * there yet, the head falls back to `getViewerPose`.
 */
export class XRPoseReader {
  private viewerSpace: XRReferenceSpace | null = null;
  private viewerRequestedFor: XRSession | null = null;
  private readonly viewerSpaces: XRSpace[] = [];
  private readonly headMatrix = new Float32Array(16);
  private readonly matrix = new Matrix4();
  private readonly rotation = new Quaternion();
  private readonly hands = { left: handSlot(), right: handSlot() };
  private readonly grips = { left: gripSlot(), right: gripSlot() };

  /** Asks the session for its viewer space once; until it comes, heads are read the long way. */
  watchSession(session: Pick<XRSession, 'requestReferenceSpace'>): void {
    if (this.viewerRequestedFor === session) return;
    this.viewerRequestedFor = session as XRSession;
    this.viewerSpace = null;
    session.requestReferenceSpace('viewer').then(
      (space) => {
        if (this.viewerRequestedFor !== session) return;
        this.viewerSpace = space;
        this.viewerSpaces[0] = space;
      },
      // Kept on getViewerPose: every browser that runs WebXR has it.
      () => undefined,
    );
  }

  /** The head's pose in `space` into `out`; false when the headset is not tracked this frame. */
  readHead(frame: PoseFrame, space: XRSpace, out: HeadPose): boolean {
    if (this.viewerSpace && frame.fillPoses) {
      if (!frame.fillPoses(this.viewerSpaces, space, this.headMatrix)) return false;
      this.fromMatrix(this.headMatrix, 0, out);
      return true;
    }
    const viewer = frame.getViewerPose(space as XRReferenceSpace);
    if (!viewer) return false;
    const p = viewer.transform.position;
    const q = viewer.transform.orientation;
    out.position[0] = p.x;
    out.position[1] = p.y;
    out.position[2] = p.z;
    out.quaternion[0] = q.x;
    out.quaternion[1] = q.y;
    out.quaternion[2] = q.z;
    out.quaternion[3] = q.w;
    return true;
  }

  /**
   * The matrices of the effector and the gesture joints of `hand` (offsets in JOINT), or null when
   * any of them is not tracked this frame.
   */
  readHand(
    frame: PoseFrame,
    arm: 'left' | 'right',
    hand: XRHand,
    effector: XRHandJoint,
    space: XRSpace,
  ): Float32Array | null {
    if (!frame.fillPoses) return null;
    const slot = this.hands[arm];
    if (slot.hand !== hand || slot.effector !== effector) {
      // A new hand object (tracking came back) or another effector: the spaces change.
      slot.hand = hand;
      slot.effector = effector;
      slot.spaces.length = 0;
      for (const joint of [effector, ...GESTURE_JOINTS]) {
        const jointSpace = hand.get(joint);
        if (!jointSpace) {
          slot.spaces.length = 0;
          break;
        }
        slot.spaces.push(jointSpace);
      }
    }
    if (slot.spaces.length === 0) return null;
    return frame.fillPoses(slot.spaces, space, slot.matrices) ? slot.matrices : null;
  }

  /**
   * The position of a controller's grip in `space` into `out`; false when it is not tracked this
   * frame.
   */
  readGrip(
    frame: PoseFrame,
    arm: 'left' | 'right',
    gripSpace: XRSpace,
    space: XRSpace,
    out: [number, number, number],
  ): boolean {
    if (!frame.fillPoses) {
      const pose = frame.getPose(gripSpace, space);
      if (!pose) return false;
      out[0] = pose.transform.position.x;
      out[1] = pose.transform.position.y;
      out[2] = pose.transform.position.z;
      return true;
    }
    const slot = this.grips[arm];
    slot.spaces[0] = gripSpace;
    if (!frame.fillPoses(slot.spaces, space, slot.matrix)) return false;
    out[0] = slot.matrix[12]!;
    out[1] = slot.matrix[13]!;
    out[2] = slot.matrix[14]!;
    return true;
  }

  private fromMatrix(m: Float32Array, offset: number, out: HeadPose): void {
    out.position[0] = m[offset + 12]!;
    out.position[1] = m[offset + 13]!;
    out.position[2] = m[offset + 14]!;
    this.rotation.setFromRotationMatrix(this.matrix.fromArray(m, offset));
    out.quaternion[0] = this.rotation.x;
    out.quaternion[1] = this.rotation.y;
    out.quaternion[2] = this.rotation.z;
    out.quaternion[3] = this.rotation.w;
  }
}

/** The distance between two joints' positions in a hand's matrices (offsets from JOINT). */
export function jointGap(matrices: Float32Array, a: number, b: number): number {
  return Math.hypot(
    matrices[a + 12]! - matrices[b + 12]!,
    matrices[a + 13]! - matrices[b + 13]!,
    matrices[a + 14]! - matrices[b + 14]!,
  );
}
