import { useRef, type ReactNode } from 'react';
import { useFrame } from '@react-three/fiber';
import {
  BackSide,
  type Group,
  type Mesh,
  type MeshBasicMaterial,
  type MeshStandardMaterial,
} from 'three';
import { holdProgress } from '../../../shared/game/tasks';
import { updateViewPointer } from '../../../shared/game/view';
import { toPlayQuaternionInto, type PlayAnchor } from './anchor';
import type { GameSession } from './game-session';
import { unitShapes } from './unit-shapes';
import { useTargetSlot, type TargetKinds, type TargetSlot } from './target-slot';
import type { PresetsStore } from '../entry/presets';

/** What the scene's parts draw from: the session (its state, input, anchor) and the presets. */
interface SceneProps {
  game: GameSession;
  presets: PresetsStore;
}

/** Renders its children in play space (the anchor set at session start or recenter). */
export function PlaySpace({ anchor, children }: { anchor: PlayAnchor; children: ReactNode }) {
  const group = useRef<Group>(null);
  useFrame(() => {
    const g = group.current;
    if (!g) return;
    g.position.set(anchor.x, 0, anchor.z);
    g.rotation.set(0, anchor.yaw, 0);
  });
  return <group ref={group}>{children}</group>;
}

export function Room({ presets }: { presets: PresetsStore }) {
  const colors = presets((s) => s.style.palette);
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

export function EffectorMarker({ game, presets }: SceneProps) {
  const colors = presets((s) => s.style.palette);
  const mesh = useRef<Mesh>(null);
  useFrame(() => {
    const m = mesh.current;
    if (!m) return;
    const frameInput = game.input;
    const arm = game.activeArm();
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

function TargetBall({ slot, game, presets }: SceneProps & { slot: TargetSlot }) {
  const { target, shown } = slot;
  const shapes = unitShapes();
  const colors = presets((s) => s.style.palette);
  const outlineM = presets((s) => s.style.outlineM);
  const ring = useRef<Mesh>(null);
  const material = useRef<MeshStandardMaterial>(null);
  useFrame((state) => {
    if (!shown) return;
    const run = game.trialRun();
    const progress = run && run.task === 'hold' ? holdProgress(run, game.input.t) : 0;
    if (ring.current) ring.current.scale.setScalar(0.001 + progress);
    if (material.current)
      material.current.emissiveIntensity = 0.6 + 0.3 * Math.sin(state.clock.elapsedTime * 3);
  });
  // unit geometry scaled to the radius: the radius changes with difficulty, nearly every trial
  const r = target.radius;
  return (
    <group position={target.position} visible={shown}>
      <group scale={r}>
        <mesh geometry={shapes.sphere}>
          <meshStandardMaterial
            ref={material}
            color={colors.target}
            emissive={colors.target}
            transparent
            opacity={0.85}
          />
        </mesh>
        <mesh geometry={shapes.sphere} scale={1 + outlineM / r}>
          <meshBasicMaterial color={colors.outline} side={BackSide} />
        </mesh>
        <mesh ref={ring} geometry={shapes.ring}>
          <meshBasicMaterial color={colors.goal} />
        </mesh>
      </group>
    </group>
  );
}

function GoalZone({ slot, presets }: { slot: TargetSlot; presets: PresetsStore }) {
  const shapes = unitShapes();
  const colors = presets((s) => s.style.palette);
  return (
    <mesh
      geometry={shapes.sphere}
      position={slot.target.position}
      scale={slot.target.radius}
      visible={slot.shown}
    >
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

function GraspCube({ slot, game, presets }: SceneProps & { slot: TargetSlot }) {
  const { target, shown } = slot;
  const shapes = unitShapes();
  const colors = presets((s) => s.style.palette);
  const mesh = useRef<Mesh>(null);
  useFrame(() => {
    const m = mesh.current;
    if (!m || !shown) return;
    const p = game.holdingObject() ? game.input.effector[game.activeArm()] : target.position;
    m.position.set(p[0], p[1], p[2]);
  });
  return (
    <mesh
      ref={mesh}
      geometry={shapes.box}
      position={target.position}
      scale={target.radius}
      visible={shown}
    >
      <meshStandardMaterial
        color={colors.object}
        emissive={colors.object}
        emissiveIntensity={0.3}
      />
    </mesh>
  );
}

const TOUCH_TARGET: TargetKinds = ['target'];
const CARRIED_OBJECT: TargetKinds = ['object'];
const GOAL: TargetKinds = ['goal'];

/** The session's targets; each stays mounted (hidden between trials), see `useTargetSlot`. */
export function Targets({ game, presets }: SceneProps) {
  const target = useTargetSlot(game, TOUCH_TARGET);
  const object = useTargetSlot(game, CARRIED_OBJECT);
  const goal = useTargetSlot(game, GOAL);
  return (
    <>
      {target && <TargetBall slot={target} game={game} presets={presets} />}
      {goal && <GoalZone slot={goal} presets={presets} />}
      {object && <GraspCube slot={object} game={game} presets={presets} />}
    </>
  );
}

const GHOST_CYCLE_S = 1.6;

/** During an instruction, a translucent hand moves from the patient's hand to the next target. */
export function GhostDemo({ game, presets }: SceneProps) {
  const colors = presets((s) => s.style.palette);
  const status = game.store((s) => s.status);
  const mesh = useRef<Mesh>(null);
  useFrame((state) => {
    const m = mesh.current;
    if (!m) return;
    const to = game.upcomingTarget();
    m.visible = status === 'instructions' && to !== null;
    if (!m.visible || to === null) return;
    const from = game.input.effector[game.activeArm()];
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

const headQuaternionPlay = new Float32Array(4);

/**
 * A gentle arrow with a soft glow near the edge of the view, pointing toward a target the
 * patient does not see (head turned away); no text. Where it goes is computed in
 * shared/game/view.ts; this only copies the result into the scene each frame.
 */
export function OffViewPointer({ game, presets }: SceneProps) {
  const colors = presets((s) => s.style.palette);
  const group = useRef<Group>(null);
  const glow = useRef<MeshBasicMaterial>(null);
  const arrow = useRef<Group>(null);
  useFrame((state) => {
    const g = group.current;
    if (!g) return;
    const { pointer, input: frameInput } = game;
    const aim = game.aimPoint();
    if (aim === null) {
      pointer.visible = false;
      g.visible = false;
      return;
    }
    const q = frameInput.headQuaternion;
    toPlayQuaternionInto(game.anchor, q[0], q[1], q[2], q[3], headQuaternionPlay);
    updateViewPointer(pointer, frameInput.head, headQuaternionPlay, aim);
    g.visible = pointer.visible;
    if (!pointer.visible) return;
    g.position.set(pointer.position[0], pointer.position[1], pointer.position[2]);
    g.quaternion.set(
      pointer.quaternion[0],
      pointer.quaternion[1],
      pointer.quaternion[2],
      pointer.quaternion[3],
    );
    // A slow breath of the glow and a small nudge of the arrow toward the target.
    const wave = Math.sin(state.clock.elapsedTime * 2.5);
    if (glow.current) glow.current.opacity = 0.22 + 0.1 * wave;
    if (arrow.current) arrow.current.position.y = 0.012 * wave;
  });
  return (
    <group ref={group} visible={false}>
      <group ref={arrow}>
        <mesh position={[0, -0.02, 0]}>
          <cylinderGeometry args={[0.009, 0.009, 0.05, 12]} />
          <meshBasicMaterial color={colors.target} />
        </mesh>
        <mesh position={[0, 0.025, 0]}>
          <coneGeometry args={[0.026, 0.04, 24]} />
          <meshBasicMaterial color={colors.target} />
        </mesh>
      </group>
      <mesh>
        <sphereGeometry args={[0.065, 24, 16]} />
        <meshBasicMaterial
          ref={glow}
          color={colors.target}
          transparent
          opacity={0.22}
          depthWrite={false}
        />
      </mesh>
    </group>
  );
}
