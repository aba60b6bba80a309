import { OrbitControls } from '@react-three/drei';
import { Canvas, useFrame } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import { useStore } from 'zustand';
import {
  createPoseFrame,
  HAND_JOINTS,
  POSE_PARTS,
  type PoseTransform,
} from '../../../shared/protocol/pose-codec';
import type { LiveState, Workspace } from '../../../shared/protocol/live';
import { useServices } from '../services';
import { isStreamStale, playbackTimeMs, samplePoseRing } from './interpolation';
import { mirrorRendered } from './mirror-handle';
import { mirrorStatus } from './session-text';

/** Wrist plus the codec's joints. */
const HAND_POINTS = 1 + HAND_JOINTS.length;
const renderFrame = createPoseFrame();
const scratchMatrix = new THREE.Matrix4();
const scratchPosition = new THREE.Vector3();
const scratchQuaternion = new THREE.Quaternion();
const unitScale = new THREE.Vector3(1, 1, 1);
const CAMERA_TARGET: [number, number, number] = [0, 1.1, -0.3];

function applyTransform(object: THREE.Object3D, pose: PoseTransform): void {
  object.position.set(pose.position[0]!, pose.position[1]!, pose.position[2]!);
  object.quaternion.set(
    pose.quaternion[0]!,
    pose.quaternion[1]!,
    pose.quaternion[2]!,
    pose.quaternion[3]!,
  );
}

const RIGID_PARTS = ['head', 'leftController', 'rightController'] as const;
const HAND_PARTS = ['leftHand', 'rightHand'] as const;
type RigidPart = (typeof RIGID_PARTS)[number];
type HandPart = (typeof HAND_PARTS)[number];

/** Moves the drawn body to the interpolated pose every frame, through refs only. */
function Body() {
  const { ring } = useServices();
  const rigid = {
    head: useRef<THREE.Group>(null),
    leftController: useRef<THREE.Group>(null),
    rightController: useRef<THREE.Group>(null),
  } satisfies Record<RigidPart, React.RefObject<THREE.Group | null>>;
  const hands = {
    leftHand: useRef<THREE.InstancedMesh>(null),
    rightHand: useRef<THREE.InstancedMesh>(null),
  } satisfies Record<HandPart, React.RefObject<THREE.InstancedMesh | null>>;

  useFrame(() => {
    const now = performance.now();
    const has = samplePoseRing(ring, playbackTimeMs(ring, now), renderFrame);
    for (const part of POSE_PARTS) {
      const visible = has && renderFrame.present[part];
      mirrorRendered.present[part] = visible;
      if (visible) mirrorRendered.positions[part].set(renderFrame[part].position);
    }
    for (const part of RIGID_PARTS) {
      const group = rigid[part].current;
      if (group === null) continue;
      group.visible = mirrorRendered.present[part];
      if (group.visible) applyTransform(group, renderFrame[part]);
    }
    for (const part of HAND_PARTS) {
      const mesh = hands[part].current;
      if (mesh === null) continue;
      mesh.visible = mirrorRendered.present[part];
      if (!mesh.visible) continue;
      const hand = renderFrame[part];
      scratchPosition.set(hand.position[0]!, hand.position[1]!, hand.position[2]!);
      scratchQuaternion.set(
        hand.quaternion[0]!,
        hand.quaternion[1]!,
        hand.quaternion[2]!,
        hand.quaternion[3]!,
      );
      mesh.setMatrixAt(0, scratchMatrix.compose(scratchPosition, scratchQuaternion, unitScale));
      for (let j = 0; j < HAND_JOINTS.length; j++) {
        scratchMatrix.makeTranslation(
          hand.joints[j * 3]!,
          hand.joints[j * 3 + 1]!,
          hand.joints[j * 3 + 2]!,
        );
        mesh.setMatrixAt(j + 1, scratchMatrix);
      }
      mesh.instanceMatrix.needsUpdate = true;
    }
    mirrorRendered.poseTimeMs = has ? renderFrame.timeMs : 0;
    mirrorRendered.stale = isStreamStale(ring, now);
    mirrorRendered.renderedAtMs = now;
    mirrorRendered.frames++;
  });

  return (
    <>
      <group ref={rigid.head} visible={false}>
        <mesh>
          <boxGeometry args={[0.18, 0.1, 0.12]} />
          <meshStandardMaterial color="#6b7c93" />
        </mesh>
        <mesh position={[0, 0, -0.065]}>
          <boxGeometry args={[0.16, 0.06, 0.01]} />
          <meshStandardMaterial color="#1d2733" />
        </mesh>
      </group>
      {(['leftController', 'rightController'] as const).map((part) => (
        <group key={part} ref={rigid[part]} visible={false}>
          <mesh rotation={[Math.PI / 2, 0, 0]}>
            <cylinderGeometry args={[0.02, 0.025, 0.12, 12]} />
            <meshStandardMaterial color={part === 'leftController' ? '#3f7fbf' : '#d9822b'} />
          </mesh>
        </group>
      ))}
      {(['leftHand', 'rightHand'] as const).map((part) => (
        <instancedMesh
          key={part}
          ref={hands[part]}
          args={[undefined, undefined, HAND_POINTS]}
          visible={false}
          // Instance matrices move every frame; bounds computed once would cull a moved hand.
          frustumCulled={false}
        >
          <sphereGeometry args={[0.012, 8, 8]} />
          <meshStandardMaterial color={part === 'leftHand' ? '#3f7fbf' : '#d9822b'} />
        </instancedMesh>
      ))}
    </>
  );
}

function Targets({ targets }: { targets: LiveState['targets'] }) {
  return (
    <>
      {targets.map((t) => (
        <mesh key={t.id} position={t.position}>
          <sphereGeometry args={[Math.max(t.radius, 0.005), 20, 16]} />
          <meshStandardMaterial
            color={t.kind === 'goal' ? '#4c9a5f' : t.kind === 'object' ? '#b8860b' : '#c0392b'}
            transparent
            opacity={0.75}
          />
        </mesh>
      ))}
    </>
  );
}

/** The calibrated reach as a box from the shoulder: forward, up, outward and across. */
function WorkspaceBox({ workspace }: { workspace: Workspace }) {
  const { shoulder, reach, arm } = workspace;
  const outwardSign = arm === 'right' ? 1 : -1;
  const xMin = Math.min(outwardSign * reach.outward, -outwardSign * reach.across);
  const xMax = Math.max(outwardSign * reach.outward, -outwardSign * reach.across);
  const size: [number, number, number] = [xMax - xMin, reach.up * 2, reach.forward];
  const center: [number, number, number] = [
    shoulder[0] + (xMin + xMax) / 2,
    shoulder[1],
    shoulder[2] - reach.forward / 2,
  ];
  const [width, height, depth] = size;
  const box = useMemo(() => new THREE.BoxGeometry(width, height, depth), [width, height, depth]);
  useEffect(() => () => box.dispose(), [box]);
  return (
    <lineSegments position={center}>
      <edgesGeometry args={[box]} />
      <lineBasicMaterial color="#4c9a5f" />
    </lineSegments>
  );
}

function StaleIndicator() {
  const { ring, live } = useServices();
  const info = useStore(live, (s) => s.live);
  const choosingWorld = useStore(live, (s) => s.worldMenu !== null);
  const [stale, setStale] = useState(true);
  useEffect(() => {
    const timer = window.setInterval(() => setStale(isStreamStale(ring, performance.now())), 250);
    return () => window.clearInterval(timer);
  }, [ring]);
  const { text, look } = mirrorStatus(info, choosingWorld, stale);
  return (
    <p className={`mirror-status ${look}`} role="status" data-testid="mirror-status">
      {text}
    </p>
  );
}

export function Mirror() {
  const { live } = useServices();
  // A session ended by the server keeps its last scene: its targets are gone all the same.
  const state = useStore(live, (s) => (s.live?.endedAt ? null : (s.live?.state ?? null)));
  return (
    <div className="mirror">
      <Canvas
        camera={{ position: [1.3, 1.7, -2.0], fov: 50 }}
        aria-label="3D mirror of the patient's head and hands"
        role="img"
      >
        <color attach="background" args={['#eef2f5']} />
        <ambientLight intensity={0.8} />
        <directionalLight position={[2, 4, 1]} intensity={1.2} />
        <gridHelper args={[4, 8, '#9aa7b4', '#cdd5dd']} />
        <Body />
        {state && <Targets targets={state.targets} />}
        {state?.workspace && <WorkspaceBox workspace={state.workspace} />}
        <OrbitControls target={CAMERA_TARGET} makeDefault />
      </Canvas>
      <StaleIndicator />
    </div>
  );
}
