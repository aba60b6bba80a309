import { useMemo } from 'react';
import { useFrame } from '@react-three/fiber';
import type { FrameInput } from '../../../shared/game/session';
import type { Arm } from '../../../shared/protocol';
import { setAnchor, toPlayInto, yawOf, type PlayAnchor } from './anchor';
import type { GameSession } from './game-session';
import { JOINT, XRPoseReader, jointGap, type HeadPose } from './xr-poses';

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

/** A controller's grip position this frame, in the reference space (kept: read every frame). */
const grip: [number, number, number] = [0, 0, 0];

function readSource(
  frame: XRFrame,
  poses: XRPoseReader,
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
    const joints = poses.readHand(frame, arm, source.hand, handEffector, space);
    if (!joints) return false;
    const at = JOINT.effector;
    toPlayInto(
      anchor,
      joints[at + 12]!,
      joints[at + 13]!,
      joints[at + 14]!,
      frameInput.effector[arm],
    );
    frameInput.tracked[arm] = true;
    frameInput.select[arm] = jointGap(joints, JOINT.thumbTip, JOINT.indexTip) < PINCH_M;
    frameInput.grab[arm] = jointGap(joints, JOINT.middleTip, JOINT.wrist) < FIST_M;
    frameInput.gripGesture[arm] = frameInput.select[arm];
    return true;
  }
  if (!source.gripSpace) return false;
  if (!poses.readGrip(frame, arm, source.gripSpace, space, grip)) return false;
  toPlayInto(anchor, grip[0], grip[1], grip[2], frameInput.effector[arm]);
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
  const poses = useMemo(() => new XRPoseReader(), []);
  const head = useMemo<HeadPose>(() => ({ position: [0, 0, 0], quaternion: [0, 0, 0, 1] }), []);
  useFrame((state, _delta, frame: XRFrame | undefined) => {
    const { anchor, input: frameInput } = game;
    const space = state.gl.xr.getReferenceSpace();
    if (!frame || !space) return;
    poses.watchSession(frame.session);
    if (!poses.readHead(frame, space, head)) return;
    const hx = head.position[0];
    const hy = head.position[1];
    const hz = head.position[2];
    const hq = head.quaternion;
    // The first frame, and a recenter (the session's effect), anchor the play space on the head.
    if (anchor.due) setAnchor(anchor, hx, hz, yawOf(hq[0], hq[1], hq[2], hq[3]));
    frameInput.t = (frame.predictedDisplayTime ?? performance.now()) / 1000;
    toPlayInto(anchor, hx, hy, hz, frameInput.head);
    frameInput.headQuaternion[0] = hq[0];
    frameInput.headQuaternion[1] = hq[1];
    frameInput.headQuaternion[2] = hq[2];
    frameInput.headQuaternion[3] = hq[3];
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
      if (readSource(frame, poses, source, space, handEffector, anchor, frameInput)) hands++;
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
