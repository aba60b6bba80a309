import { useEffect, useRef, useState } from 'react';
import { Canvas, useFrame } from '@react-three/fiber';
import { XR, useXR } from '@react-three/xr';
import { Physics } from '@react-three/rapier';
import { ConnectionStatus } from '../entry/EntryScreen';
import type { GameEngine } from './engine';
import { createPoseStreamer } from './live';
import { Panel } from './Panel';
import { PhysicsBodies } from './PhysicsBodies';
import { useGame } from './store';
import { EffectorMarker, GhostDemo, PlaySpace, Room, Targets } from './Visuals';
import { XR_FRAME_RATE, xrStore } from './xr-store';
import { XRInputReader } from './XRInputReader';
import type { ReachSocket } from '../../common/socket';
import { markTestHandleReady } from './test-handle';

interface Props {
  engine: GameEngine;
  socket: ReachSocket | null;
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

const LONG_PRESS_S = 1;
/** xr-standard mapping: button 5 is B (right) or Y (left); the system menu button is not exposed. */
const PAUSE_BUTTON = 5;

/** Patient's own pause: hold B or Y for a second; any select (trigger or pinch) resumes. */
function PatientControls({ engine }: { engine: GameEngine }) {
  const session = useXR((s) => s.session);
  const heldFor = useRef(0);
  useEffect(() => {
    if (!session) return;
    const onSelect = () => {
      if (useGame.getState().status === 'paused') engine.resume();
    };
    session.addEventListener('select', onSelect);
    return () => session.removeEventListener('select', onSelect);
  }, [session, engine]);
  useFrame((_state, delta) => {
    if (!session) return;
    let pressed = false;
    for (const source of session.inputSources)
      if (source.gamepad?.buttons[PAUSE_BUTTON]?.pressed) pressed = true;
    heldFor.current = pressed ? heldFor.current + delta : 0;
    if (heldFor.current >= LONG_PRESS_S) {
      heldFor.current = -Infinity;
      engine.pause('patient');
    }
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

function PoseStream({ socket }: { socket: ReachSocket }) {
  const [stream] = useState(() => createPoseStreamer(socket));
  useFrame(() => stream());
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
        {socket !== null && <ConnectionStatus />}
        <span data-testid="game-status">{status}</span>
        {summary !== null && (
          <span data-testid="summary">
            {summary.hits} / {summary.trials} reached
          </span>
        )}
      </div>
      <Canvas>
        <XR store={xrStore}>
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
            <Panel plannedTrials={engine.plannedTrials} />
          </PlaySpace>
        </XR>
      </Canvas>
    </div>
  );
}
