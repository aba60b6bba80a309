import { useRef, type ReactNode } from 'react';
import { useFrame } from '@react-three/fiber';
import { BackSide, type Group, type Mesh, type MeshStandardMaterial } from 'three';
import { holdProgress } from '../../../shared/game/tasks';
import { anchor } from './anchor';
import type { GameEngine } from './engine';
import { frameInput } from './frame-input';
import { useGame, type SceneTarget } from './store';
import { usePresets } from '../entry/presets';

/** Renders its children in play space (the anchor set at session start or recenter). */
export function PlaySpace({ children }: { children: ReactNode }) {
  const group = useRef<Group>(null);
  useFrame(() => {
    const g = group.current;
    if (!g) return;
    g.position.set(anchor.x, 0, anchor.z);
    g.rotation.set(0, anchor.yaw, 0);
  });
  return <group ref={group}>{children}</group>;
}

export function Room() {
  const colors = usePresets((s) => s.style.palette);
  return (
    <>
      <color attach="background" args={[colors.background]} />
      <ambientLight intensity={0.7} />
      <directionalLight position={[1, 3, 2]} intensity={1.4} />
      <mesh rotation={[-Math.PI / 2, 0, 0]} position={[0, 0, 0]}>
        <circleGeometry args={[3, 48]} />
        <meshStandardMaterial color={colors.floor} />
      </mesh>
    </>
  );
}

export function EffectorMarker({ engine }: { engine: GameEngine }) {
  const colors = usePresets((s) => s.style.palette);
  const mesh = useRef<Mesh>(null);
  useFrame(() => {
    const m = mesh.current;
    if (!m) return;
    const arm = engine.activeArm;
    m.visible = frameInput.tracked[arm];
    const p = frameInput.effector[arm];
    m.position.set(p[0], p[1], p[2]);
  });
  return (
    <mesh ref={mesh}>
      <sphereGeometry args={[0.015, 16, 12]} />
      <meshBasicMaterial color={colors.effector} />
    </mesh>
  );
}

function TargetBall({ target, engine }: { target: SceneTarget; engine: GameEngine }) {
  const colors = usePresets((s) => s.style.palette);
  const outlineM = usePresets((s) => s.style.outlineM);
  const ring = useRef<Mesh>(null);
  const material = useRef<MeshStandardMaterial>(null);
  useFrame((state) => {
    const run = engine.trialRun;
    const progress = run && run.task === 'hold' ? holdProgress(run, frameInput.t) : 0;
    if (ring.current) ring.current.scale.setScalar(0.001 + progress);
    if (material.current)
      material.current.emissiveIntensity = 0.6 + 0.3 * Math.sin(state.clock.elapsedTime * 3);
  });
  return (
    <group position={target.position}>
      <mesh>
        <sphereGeometry args={[target.radius, 32, 24]} />
        <meshStandardMaterial
          ref={material}
          color={colors.target}
          emissive={colors.target}
          transparent
          opacity={0.85}
        />
      </mesh>
      <mesh scale={1 + outlineM / target.radius}>
        <sphereGeometry args={[target.radius, 32, 24]} />
        <meshBasicMaterial color={colors.outline} side={BackSide} />
      </mesh>
      <mesh ref={ring}>
        <torusGeometry args={[target.radius * 1.3, 0.006, 8, 48]} />
        <meshBasicMaterial color={colors.goal} />
      </mesh>
    </group>
  );
}

function GoalZone({ target }: { target: SceneTarget }) {
  const colors = usePresets((s) => s.style.palette);
  return (
    <mesh position={target.position}>
      <sphereGeometry args={[target.radius, 32, 24]} />
      <meshStandardMaterial
        color={colors.goal}
        emissive={colors.goal}
        emissiveIntensity={0.4}
        transparent
        opacity={0.35}
      />
    </mesh>
  );
}

function GraspCube({ target, engine }: { target: SceneTarget; engine: GameEngine }) {
  const colors = usePresets((s) => s.style.palette);
  const mesh = useRef<Mesh>(null);
  useFrame(() => {
    const m = mesh.current;
    if (!m) return;
    const p = engine.holdingObject ? frameInput.effector[engine.activeArm] : null;
    if (p) m.position.set(p[0], p[1], p[2]);
  });
  const size = target.radius * 1.6;
  return (
    <mesh ref={mesh} position={target.position}>
      <boxGeometry args={[size, size, size]} />
      <meshStandardMaterial
        color={colors.object}
        emissive={colors.object}
        emissiveIntensity={0.3}
      />
    </mesh>
  );
}

export function Targets({ engine }: { engine: GameEngine }) {
  const targets = useGame((s) => s.targets);
  const trialNumber = useGame((s) => s.trialNumber);
  return (
    <>
      {targets.map((t) =>
        t.kind === 'target' ? (
          <TargetBall key={`${trialNumber}-${t.id}`} target={t} engine={engine} />
        ) : t.kind === 'goal' ? (
          <GoalZone key={`${trialNumber}-${t.id}`} target={t} />
        ) : (
          <GraspCube key={`${trialNumber}-${t.id}`} target={t} engine={engine} />
        ),
      )}
    </>
  );
}

const GHOST_CYCLE_S = 1.6;

/** During an instruction, a translucent hand moves from the patient's hand to the next target. */
export function GhostDemo({ engine }: { engine: GameEngine }) {
  const colors = usePresets((s) => s.style.palette);
  const status = useGame((s) => s.status);
  const mesh = useRef<Mesh>(null);
  useFrame((state) => {
    const m = mesh.current;
    if (!m) return;
    const to = engine.upcomingTarget;
    m.visible = status === 'instructions' && to !== null;
    if (!m.visible || to === null) return;
    const from = frameInput.effector[engine.activeArm];
    const q = (state.clock.elapsedTime % GHOST_CYCLE_S) / GHOST_CYCLE_S;
    const s = q * q * (3 - 2 * q);
    m.position.set(
      from[0] + (to[0] - from[0]) * s,
      from[1] + (to[1] - from[1]) * s,
      from[2] + (to[2] - from[2]) * s,
    );
  });
  return (
    <mesh ref={mesh} visible={false}>
      <sphereGeometry args={[0.04, 20, 16]} />
      <meshBasicMaterial color={colors.ghost} transparent opacity={0.4} />
    </mesh>
  );
}
