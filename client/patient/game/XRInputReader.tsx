import { useFrame } from '@react-three/fiber';
import type { FrameInput } from '../../../shared/game/session';
import type { Arm } from '../../../shared/protocol';
import { setAnchor, toPlayInto, yawOf, type PlayAnchor } from './anchor';
import type { GameSession } from './game-session';

const PINCH_M = 0.025;
const FIST_M = 0.1;
const TRIGGER = 0;
const SQUEEZE = 1;
/** xr-standard mapping: B (right) or Y (left); the system menu button is not exposed. */
const MENU_BUTTON = 5;

function clearSide(flags: { left: boolean; right: boolean }): void {
  flags.left = false;
  flags.right = false;
}

function jointDistance(
  frame: XRFrame,
  hand: XRHand,
  a: XRHandJoint,
  b: XRHandJoint,
  space: XRReferenceSpace,
): number {
  const pa = frame.getJointPose?.(hand.get(a)!, space);
  const pb = frame.getJointPose?.(hand.get(b)!, space);
  if (!pa || !pb) return Infinity;
  const p = pa.transform.position;
  const q = pb.transform.position;
  return Math.hypot(p.x - q.x, p.y - q.y, p.z - q.z);
}

function readSource(
  frame: XRFrame,
  source: XRInputSource,
  space: XRReferenceSpace,
  handEffector: XRHandJoint,
  anchor: PlayAnchor,
  frameInput: FrameInput,
): boolean {
  const arm: Arm | null =
    source.handedness === 'left' ? 'left' : source.handedness === 'right' ? 'right' : null;
  if (arm === null) return false;
  if (source.hand) {
    const joint = source.hand.get(handEffector);
    const pose = joint ? frame.getJointPose?.(joint, space) : undefined;
    if (!pose) return false;
    const p = pose.transform.position;
    toPlayInto(anchor, p.x, p.y, p.z, frameInput.effector[arm]);
    frameInput.tracked[arm] = true;
    frameInput.select[arm] =
      jointDistance(frame, source.hand, 'thumb-tip', 'index-finger-tip', space) < PINCH_M;
    frameInput.grab[arm] =
      jointDistance(frame, source.hand, 'middle-finger-tip', 'wrist', space) < FIST_M;
    frameInput.gripGesture[arm] = frameInput.select[arm];
    return true;
  }
  if (!source.gripSpace) return false;
  const pose = frame.getPose(source.gripSpace, space);
  if (!pose) return false;
  const p = pose.transform.position;
  toPlayInto(anchor, p.x, p.y, p.z, frameInput.effector[arm]);
  frameInput.tracked[arm] = true;
  const buttons = source.gamepad?.buttons;
  frameInput.select[arm] = (buttons?.[TRIGGER]?.value ?? 0) > 0.5;
  frameInput.grab[arm] = (buttons?.[SQUEEZE]?.value ?? 0) > 0.5;
  frameInput.gripGesture[arm] = frameInput.grab[arm];
  if (buttons?.[MENU_BUTTON]?.pressed) frameInput.menuButton = true;
  return false;
}

/**
 * Reads head, controllers and hands from the XR frame into the session's input (play space), then
 * runs the session. Controllers and hands may switch at any time; whichever is present drives it.
 */
export function XRInputReader({
  game,
  handEffector,
  sessionHeld,
}: {
  game: GameSession;
  handEffector: XRHandJoint;
  /** While true (the patient is choosing a world), tracking is read but the session not started. */
  sessionHeld: { current: boolean };
}) {
  useFrame((state, _delta, frame: XRFrame | undefined) => {
    const { anchor, input: frameInput } = game;
    const space = state.gl.xr.getReferenceSpace();
    if (!frame || !space) return;
    const viewer = frame.getViewerPose(space);
    if (!viewer) return;
    const hp = viewer.transform.position;
    const hq = viewer.transform.orientation;
    // The first frame, and a recenter (the session's effect), anchor the play space on the head.
    if (anchor.due) setAnchor(anchor, hp.x, hp.z, yawOf(hq.x, hq.y, hq.z, hq.w));
    frameInput.t = (frame.predictedDisplayTime ?? performance.now()) / 1000;
    toPlayInto(anchor, hp.x, hp.y, hp.z, frameInput.head);
    frameInput.headQuaternion[0] = hq.x;
    frameInput.headQuaternion[1] = hq.y;
    frameInput.headQuaternion[2] = hq.z;
    frameInput.headQuaternion[3] = hq.w;
    // A source that vanished this frame must not leave a button held.
    clearSide(frameInput.tracked);
    clearSide(frameInput.select);
    clearSide(frameInput.grab);
    clearSide(frameInput.gripGesture);
    frameInput.menuButton = false;
    let hands = 0;
    let controllers = 0;
    const sources = frame.session.inputSources;
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i]!;
      if (readSource(frame, source, space, handEffector, anchor, frameInput)) hands++;
      else if (source.gripSpace && !source.hand) controllers++;
    }
    frameInput.inputMode = hands > 0 ? 'hands' : controllers > 0 ? 'controllers' : 'none';
    if (sessionHeld.current) return;
    try {
      game.frame();
    } catch (error) {
      // One bad frame must not stop the XR loop (the headset would freeze); report it instead.
      console.error('game frame failed', error);
    }
  }, -10);
  return null;
}
