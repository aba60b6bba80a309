import { useEffect, useRef, useState } from 'react';
import { Canvas, useFrame } from '@react-three/fiber';
import { XR, useXR } from '@react-three/xr';
import { Physics } from '@react-three/rapier';
import { ConnectionStatusLine } from '../entry/EntryScreen';
import type { GameEngine } from './engine';
import { createPoseStreamer } from './live';
import { Panel } from './Panel';
import { PhysicsBodies } from './PhysicsBodies';
import { useGame } from './store';
import { EffectorMarker, GhostDemo, OffViewPointer, PlaySpace, Room, Targets } from './Visuals';
import { XR_FRAME_RATE, xrStore } from './xr-store';
import { XRInputReader } from './XRInputReader';
import type { ClientSocket } from '../../common/socket';
import { createGestureState, stepGestures, type GestureInput } from '../../../shared/game/gestures';
import { frameInput } from './frame-input';
import { markTestHandleReady } from './test-handle';
import { isAutomation } from './emulator';
import { FrameProbe } from '../perf/frame-probe';

interface Props {
  engine: GameEngine;
  socket: ClientSocket | null;
  handEffector: XRHandJoint;
  onEnter: () => void;
}

/** Pauses when the headset is taken off (XR visibility) or the page is hidden. */
function AutoPause({ engine }: { engine: GameEngine }) {
  const visibility = useXR((s) => s.visibilityState);
  useEffect(() => {
    if (visibility === 'hidden') engine.pause('headset_removed');
    else if (visibility === 'visible-blurred') engine.pause('focus_lost');
  }, [visibility, engine]);
  useEffect(() => {
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') engine.pause('focus_lost');
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [engine]);
  return null;
}

const gestures = createGestureState();
const gestureInput: GestureInput = {
  menuButton: false,
  select: frameInput.select,
  grip: frameInput.gripGesture,
  graspArm: null,
  paused: false,
};

/** The patient's own pause, resume and recenter, with controllers or bare hands. */
function PatientControls({ engine }: { engine: GameEngine }) {
  useFrame((_state, delta) => {
    gestureInput.menuButton = frameInput.menuButton;
    gestureInput.graspArm = engine.trialRun?.task === 'grasp' ? engine.activeArm : null;
    gestureInput.paused = useGame.getState().status === 'paused';
    const action = stepGestures(gestures, gestureInput, delta);
    if (action === 'pause') engine.pause('patient');
    else if (action === 'resume') engine.resume();
    else if (action === 'recenter') engine.recenterRequested = true;
  });
  return null;
}

function ReadySignal() {
  const done = useRef(false);
  useFrame(() => {
    if (done.current) return;
    done.current = true;
    markTestHandleReady();
  });
  return null;
}

function PoseStream({ socket }: { socket: ClientSocket }) {
  const [stream] = useState(() => createPoseStreamer(socket));
  useFrame((state, _delta, frame: XRFrame | undefined) => {
    const space = state.gl.xr.getReferenceSpace();
    if (frame && space) stream(frame, space);
  });
  return null;
}

export function GameApp({ engine, socket, handEffector, onEnter }: Props) {
  const inVR = useGame((s) => s.inVR);
  const status = useGame((s) => s.status);
  const summary = useGame((s) => s.summary);
  return (
    <div className="game-root">
      <div className="game-overlay">
        {!inVR && (
          <button className="big-button" data-testid="enter-vr" onClick={onEnter}>
            Enter VR
          </button>
        )}
        {socket !== null && <ConnectionStatusLine />}
        <span data-testid="game-status">{status}</span>
        {summary !== null && (
          <span data-testid="summary">
            {summary.hits} / {summary.trials} reached
          </span>
        )}
      </div>
      <Canvas>
        <XR store={xrStore}>
          {isAutomation() && <FrameProbe />}
          <XRInputReader engine={engine} handEffector={handEffector} />
          <ReadySignal />
          <AutoPause engine={engine} />
          <PatientControls engine={engine} />
          {socket !== null && <PoseStream socket={socket} />}
          <Physics timeStep={1 / XR_FRAME_RATE}>
            <PhysicsBodies engine={engine} />
          </Physics>
          <Room />
          <PlaySpace>
            <Targets engine={engine} />
            <EffectorMarker engine={engine} />
            <GhostDemo engine={engine} />
            <OffViewPointer engine={engine} />
            <Panel plannedTrials={engine.plannedTrials} />
          </PlaySpace>
        </XR>
      </Canvas>
    </div>
  );
}
