import { Suspense, useEffect, useMemo, useRef } from 'react';
import { useFrame } from '@react-three/fiber';
import { Text } from '@react-three/drei';
import {
  BackSide,
  DoubleSide,
  Object3D,
  RingGeometry,
  SphereGeometry,
  type Group,
  type InstancedMesh,
  type Mesh,
  type MeshStandardMaterial,
} from 'three';
import { holdProgress } from '../../../../shared/game/tasks';
import { unitShapes } from '../../game/unit-shapes';
import { useCountedRenders } from '../../perf/frame-probe';
import { useTargetSlot, type TargetKinds, type TargetSlot } from '../../game/target-slot';
import { PlaySpace } from '../../game/Visuals';
import { bakeScenery, gradientColors } from './geometry';
import type { WorldTheme } from './theme';
import type { WorldProps } from '../types';
import { MissFade } from '../MissFade';

const FONT_URL = '/fonts/DejaVuSans-Bold.ttf';
/** A target grows in over this long (slow enough to see, never a jump in front of the face). */
const APPEAR_S = 0.35;
/** The hand starts to light a target up from this far outside its surface. */
const NEAR_M = 0.25;
const BURST_S = 1.1;
const BURST_PIECES = 14;
const MAX_TOKENS = 40;

/** Sky, ground and far props: a few draw calls, baked colours, no shadow. */
function Environment({ theme, dim }: { theme: WorldTheme; dim: boolean }) {
  const sky = useMemo(() => gradientColors(new SphereGeometry(90, 32, 20), theme.sky), [theme]);
  const ground = useMemo(
    () =>
      gradientColors(
        new RingGeometry(0.01, 70, 64, 10).rotateX(-Math.PI / 2),
        theme.ground,
        'radius',
      ),
    [theme],
  );
  const scenery = useMemo(() => bakeScenery(theme.scenery()), [theme]);
  const glowing = useMemo(() => (theme.glowing ? bakeScenery(theme.glowing()) : null), [theme]);
  useEffect(
    () => () => {
      for (const g of [sky, ground, scenery, glowing]) g?.dispose();
    },
    [sky, ground, scenery, glowing],
  );
  // High contrast: the world steps back (dimmed) so the targets stand out as in the plain room.
  const tint = dim ? '#3a3a3a' : '#ffffff';
  return (
    <>
      <fog attach="fog" args={[dim ? '#000000' : theme.fog.color, theme.fog.near, theme.fog.far]} />
      <hemisphereLight args={[theme.light.sky, theme.light.ground, theme.light.hemisphere]} />
      <directionalLight
        position={[2, 5, 3]}
        intensity={theme.light.sunIntensity}
        color={theme.light.sun}
      />
      <mesh geometry={sky} renderOrder={-1}>
        <meshBasicMaterial
          vertexColors
          side={BackSide}
          fog={false}
          depthWrite={false}
          color={tint}
        />
      </mesh>
      <mesh geometry={ground}>
        <meshLambertMaterial vertexColors color={tint} />
      </mesh>
      <mesh geometry={scenery}>
        <meshLambertMaterial vertexColors color={tint} />
      </mesh>
      {glowing && (
        <mesh geometry={glowing}>
          <meshBasicMaterial vertexColors color={tint} />
        </mesh>
      )}
    </>
  );
}

/** What makes the session's ball an apple, a lantern or a bubble, and its cube a crate... */
export function Dressing({
  shape,
  r,
}: {
  shape: WorldTheme['target'] | WorldTheme['object'];
  r: number;
}) {
  // the carried box is 1.6 radii wide, like the plain room's cube
  const h = r * 0.8;
  switch (shape) {
    case 'crate':
      return (
        <>
          {[-0.55, 0.55].map((y) => (
            <mesh key={y} position={[0, y * h, 0]}>
              <boxGeometry args={[h * 2.06, h * 0.22, h * 2.06]} />
              <meshLambertMaterial color="#8a5a2b" />
            </mesh>
          ))}
        </>
      );
    case 'box-lantern':
      return (
        <>
          {[1, -1].map((side) => (
            <mesh key={side} position={[0, side * h * 1.05, 0]}>
              <boxGeometry args={[h * 2.2, h * 0.2, h * 2.2]} />
              <meshLambertMaterial color="#7a2e1f" />
            </mesh>
          ))}
          <mesh position={[0, h * 1.35, 0]}>
            <torusGeometry args={[h * 0.3, h * 0.05, 6, 16]} />
            <meshLambertMaterial color="#3b2a1a" />
          </mesh>
        </>
      );
    case 'chest':
      return (
        <>
          <mesh position={[0, h * 0.3, 0]}>
            <boxGeometry args={[h * 2.06, h * 0.12, h * 2.06]} />
            <meshLambertMaterial color="#f2c14e" />
          </mesh>
          <mesh position={[0, h * 0.05, h * 1.03]}>
            <boxGeometry args={[h * 0.3, h * 0.4, h * 0.06]} />
            <meshLambertMaterial color="#f2c14e" />
          </mesh>
        </>
      );
    case 'apple':
      return (
        <>
          <mesh position={[0, r * 1.05, 0]}>
            <cylinderGeometry args={[r * 0.06, r * 0.08, r * 0.45, 6]} />
            <meshLambertMaterial color="#6b4a2b" />
          </mesh>
          <mesh position={[r * 0.28, r * 1.1, 0]} rotation={[0, 0, -0.7]} scale={[1, 0.35, 0.6]}>
            <sphereGeometry args={[r * 0.32, 10, 6]} />
            <meshLambertMaterial color="#3f8f3a" />
          </mesh>
        </>
      );
    case 'lantern':
      return (
        <>
          {[1, -1].map((side) => (
            <mesh key={side} position={[0, side * r * 0.9, 0]}>
              <cylinderGeometry args={[r * 0.55, r * 0.55, r * 0.22, 16]} />
              <meshLambertMaterial color="#7a2e1f" />
            </mesh>
          ))}
          <mesh position={[0, r * 1.15, 0]}>
            <torusGeometry args={[r * 0.22, r * 0.04, 6, 16]} />
            <meshLambertMaterial color="#3b2a1a" />
          </mesh>
        </>
      );
    case 'bubble':
      return (
        <mesh position={[-r * 0.35, r * 0.4, r * 0.55]}>
          <sphereGeometry args={[r * 0.18, 10, 8]} />
          <meshBasicMaterial color="#ffffff" />
        </mesh>
      );
  }
}

/**
 * The session's target or carried object, dressed by the world. Its sphere keeps the session's
 * radius (clinical); it grows in, gives a sound from where it is, and glows as the hand nears.
 */
function Reachable({
  slot,
  theme,
  game,
  presets,
  output,
}: WorldProps & { slot: TargetSlot; theme: WorldTheme }) {
  const { target, shown, trialNumber } = slot;
  const shapes = unitShapes();
  const colors = presets((s) => s.style.palette);
  const outlineM = presets((s) => s.style.outlineM);
  const group = useRef<Group>(null);
  const material = useRef<MeshStandardMaterial>(null);
  const ring = useRef<Mesh>(null);
  const born = useRef({ trialNumber: -1, at: 0 });
  const carried = target.kind === 'object';
  const color = carried ? colors.object : colors.target;
  const shape = carried ? theme.object : theme.target;
  const position = useRef(target.position);
  position.current = target.position;
  // once per trial: the position read through a ref, so a republished target does not replay it
  useEffect(() => output.playWorld('appear', position.current), [output, trialNumber]);
  useFrame((state) => {
    const g = group.current;
    if (!g || !shown) return;
    const now = state.clock.elapsedTime;
    if (born.current.trialNumber !== trialNumber) {
      born.current.trialNumber = trialNumber;
      born.current.at = now;
    }
    const a = Math.min(1, (now - born.current.at) / APPEAR_S);
    const grow = 1 - (1 - a) * (1 - a) * (1 - a);
    const hand = game.input.effector[game.activeArm()];
    const at = carried && game.holdingObject() ? hand : target.position;
    g.position.set(at[0], at[1], at[2]);
    const d = Math.hypot(hand[0] - at[0], hand[1] - at[1], hand[2] - at[2]) - target.radius;
    const near = Math.min(1, Math.max(0, 1 - d / NEAR_M));
    const run = game.trialRun();
    const progress = run && run.task === 'hold' ? holdProgress(run, game.input.t) : 0;
    g.scale.setScalar(Math.max(0.001, grow * (1 + 0.08 * near)));
    if (material.current) material.current.emissiveIntensity = 0.35 + 0.45 * near + 0.4 * progress;
    if (ring.current) ring.current.scale.setScalar(0.001 + progress);
  });
  // unit shapes in a group scaled to the radius, which changes with difficulty nearly every trial
  const r = target.radius;
  const body = carried ? shapes.box : shapes.sphere;
  return (
    <group ref={group} position={target.position} scale={0.001} visible={shown}>
      <group scale={r}>
        <mesh geometry={body} scale={shape === 'lantern' ? [0.85, 1, 0.85] : 1}>
          <meshStandardMaterial
            ref={material}
            color={color}
            emissive={color}
            emissiveIntensity={0.35}
            roughness={0.6}
            transparent={shape === 'bubble'}
            opacity={shape === 'bubble' ? 0.85 : 1}
          />
        </mesh>
        <mesh geometry={body} scale={1 + outlineM / r}>
          <meshBasicMaterial color={colors.outline} side={BackSide} />
        </mesh>
        <Dressing shape={shape} r={1} />
        <mesh ref={ring} geometry={shapes.ring} scale={0.001}>
          <meshBasicMaterial color={colors.goal} />
        </mesh>
      </group>
    </group>
  );
}

/** Where the carried object goes: the goal zone (its radius is the session's) in the world's dress. */
function Goal({
  slot,
  theme,
  presets,
}: { slot: TargetSlot; theme: WorldTheme } & Pick<WorldProps, 'presets'>) {
  const { target, shown } = slot;
  const shapes = unitShapes();
  const colors = presets((s) => s.style.palette);
  const r = target.radius;
  const y = target.position[1];
  // the dressing is made for a goal of radius 1 and scaled to the session's radius
  return (
    <group position={target.position} visible={shown}>
      <group scale={r}>
        <mesh geometry={shapes.sphere}>
          <meshStandardMaterial
            color={colors.goal}
            emissive={colors.goal}
            emissiveIntensity={0.4}
            transparent
            opacity={0.3}
            depthWrite={false}
          />
        </mesh>
        {theme.goal === 'basket' && (
          <group position={[0, -0.45, 0]}>
            <mesh>
              <cylinderGeometry args={[1.25, 0.9, 1.1, 20, 1, true]} />
              <meshLambertMaterial color="#a8743f" side={DoubleSide} />
            </mesh>
            <mesh position={[0, 0.55, 0]} rotation={[Math.PI / 2, 0, 0]}>
              <torusGeometry args={[1.25, 0.1, 8, 32]} />
              <meshLambertMaterial color={colors.goal} />
            </mesh>
          </group>
        )}
        {theme.goal === 'post' && (
          <mesh rotation={[Math.PI / 2, 0, 0]}>
            <torusGeometry args={[1.1, 0.1, 8, 32]} />
            <meshLambertMaterial
              color={colors.goal}
              emissive={colors.goal}
              emissiveIntensity={0.3}
            />
          </mesh>
        )}
        {theme.goal === 'nest' && (
          <mesh position={[0, -0.6, 0]} rotation={[Math.PI / 2, 0, 0]}>
            <torusGeometry args={[1.1, 0.28, 6, 10]} />
            <meshLambertMaterial color={colors.goal} flatShading />
          </mesh>
        )}
      </group>
      {theme.goal === 'post' && (
        // one unit-high post stretched down to the ground, so a new height makes no geometry
        <mesh position={[0, -(y + r) / 2, 0]} scale={[1, Math.max(0.05, y - r), 1]}>
          <cylinderGeometry args={[0.02, 0.025, 1, 8]} />
          <meshLambertMaterial color="#5a3b22" />
        </mesh>
      )}
    </group>
  );
}

function copyInto(out: [number, number, number], from: readonly number[]): void {
  out[0] = from[0]!;
  out[1] = from[1]!;
  out[2] = from[2]!;
}

/** A burst of petals, sparks or bubbles where a reach succeeded; drifts slowly, fades in ~1 s. */
function RewardBurst({ game, theme }: { game: WorldProps['game']; theme: WorldTheme }) {
  const mesh = useRef<InstancedMesh>(null);
  const origin = useRef<[number, number, number]>([0, -10, 0]);
  const startedAt = useRef<number | null>(null);
  const pending = useRef(false);
  const dummy = useMemo(() => new Object3D(), []);
  const directions = useMemo(() => {
    const out: [number, number, number][] = [];
    for (let i = 0; i < BURST_PIECES; i++) {
      const a = (i / BURST_PIECES) * Math.PI * 2;
      const up = 0.4 + (0.5 * ((i * 7) % 5)) / 5;
      out.push([Math.cos(a), up, Math.sin(a)]);
    }
    return out;
  }, []);
  useEffect(
    () =>
      game.store.subscribe((s, prev) => {
        // Runs in the frame that publishes (copied in place: nothing allocated there).
        const aim = s.targets.find((t) => t.kind === 'goal') ?? s.targets[0];
        if (aim) copyInto(origin.current, aim.position);
        if (s.trials.length > prev.trials.length && s.trials.at(-1)?.outcome === 'hit') {
          // the published trial still has the target where it was shown
          if (!aim) {
            const last = prev.targets.find((t) => t.kind === 'goal') ?? prev.targets[0];
            if (last) copyInto(origin.current, last.position);
          }
          pending.current = true;
        }
      }),
    [game],
  );
  useFrame((state) => {
    const m = mesh.current;
    if (!m) return;
    const now = state.clock.elapsedTime;
    if (pending.current) {
      pending.current = false;
      startedAt.current = now;
    }
    if (startedAt.current === null) {
      m.visible = false;
      return;
    }
    const t = (now - startedAt.current) / BURST_S;
    if (t >= 1) {
      startedAt.current = null;
      m.visible = false;
      return;
    }
    m.visible = true;
    const ease = 1 - (1 - t) * (1 - t);
    const ox = origin.current[0];
    const oy = origin.current[1];
    const oz = origin.current[2];
    for (let i = 0; i < BURST_PIECES; i++) {
      const d = directions[i]!;
      dummy.position.set(ox + d[0] * 0.22 * ease, oy + d[1] * 0.2 * ease, oz + d[2] * 0.22 * ease);
      dummy.scale.setScalar(0.018 * (1 - t * t));
      dummy.rotation.set(t * 3 + i, t * 2, 0);
      dummy.updateMatrix();
      m.setMatrixAt(i, dummy.matrix);
    }
    m.instanceMatrix.needsUpdate = true;
  });
  return (
    <instancedMesh ref={mesh} args={[undefined, undefined, BURST_PIECES]} visible={false}>
      <octahedronGeometry args={[1, 0]} />
      <meshBasicMaterial color={theme.burst} />
    </instancedMesh>
  );
}

/** Score and streak in the world: what was reached piles up in a holder beside the board. */
function Collection({
  game,
  theme,
  presets,
}: Pick<WorldProps, 'game' | 'presets'> & { theme: WorldTheme }) {
  // The session's count, not this page's trials: a session resumed after a reload keeps its pile.
  const hits = game.store((s) => s.hits);
  const streak = game.store((s) => s.streak);
  const colors = presets((s) => s.style.palette);
  const panelScale = presets((s) => s.style.panelScale);
  const mesh = useRef<InstancedMesh>(null);
  useEffect(() => {
    const m = mesh.current;
    if (!m) return;
    const dummy = new Object3D();
    const shown = Math.min(hits, MAX_TOKENS);
    for (let i = 0; i < shown; i++) {
      // a pile: rows of 8 that get narrower going up
      const row = Math.floor(i / 8);
      const col = i % 8;
      dummy.position.set((col - 3.5) * 0.045, 0.03 + row * 0.04, ((i * 5) % 3) * 0.03 - 0.03);
      dummy.updateMatrix();
      m.setMatrixAt(i, dummy.matrix);
    }
    m.count = shown;
    m.instanceMatrix.needsUpdate = true;
  }, [hits]);
  return (
    <group position={[-1.45 - 0.35 * (panelScale - 1), 1.3, -1.7]}>
      <mesh position={[0, -0.65, 0]}>
        <cylinderGeometry args={[0.025, 0.03, 1.3, 8]} />
        <meshLambertMaterial color="#6b4a2b" />
      </mesh>
      <mesh position={[0, 0.05, 0]}>
        <cylinderGeometry args={[0.22, 0.17, 0.12, 20, 1, true]} />
        <meshLambertMaterial color={theme.holder} side={DoubleSide} />
      </mesh>
      <mesh position={[0, -0.005, 0]}>
        <cylinderGeometry args={[0.17, 0.17, 0.01, 20]} />
        <meshLambertMaterial color={theme.holder} />
      </mesh>
      <instancedMesh ref={mesh} args={[undefined, undefined, MAX_TOKENS]}>
        <sphereGeometry args={[0.022, 10, 8]} />
        <meshLambertMaterial color={theme.token.color} />
      </instancedMesh>
      <Suspense fallback={null}>
        <Text
          font={FONT_URL}
          fontSize={0.08 * panelScale}
          color={colors.text}
          outlineWidth={0.004}
          outlineColor="#000000"
          position={[0, 0.3, 0]}
          textAlign="center"
        >
          {`${hits} ${hits === 1 ? theme.token.one : theme.token.many}${streak >= 2 ? `\n${streak} in a row` : ''}`}
        </Text>
      </Suspense>
    </group>
  );
}

const REACHABLE: TargetKinds = ['target', 'object'];
const GOAL: TargetKinds = ['goal'];

/**
 * The session's goal and the target or object to reach, in the world's dress. Their own
 * component: a target appears and is hidden twice a trial, which must not render the world again.
 */
function WorldTargets({ theme, ...props }: WorldProps & { theme: WorldTheme }) {
  const reachable = useTargetSlot(props.game, REACHABLE);
  const goal = useTargetSlot(props.game, GOAL);
  return (
    <>
      {goal && <Goal slot={goal} theme={theme} presets={props.presets} />}
      {reachable && <Reachable slot={reachable} theme={theme} {...props} />}
    </>
  );
}

/**
 * A world built from a theme: environment, the session's targets in the world's dress, a reward
 * on every success, the collection. It reads the published state and plays sounds; no rule.
 */
export function ThemedWorld({ theme, ...props }: WorldProps & { theme: WorldTheme }) {
  const { game, presets, output } = props;
  const dim = presets((s) => s.highContrast);
  useCountedRenders('world');
  useEffect(() => output.setWorldSounds(theme.name), [output, theme.name]);
  return (
    <>
      <PlaySpace anchor={game.anchor}>
        <Environment theme={theme} dim={dim} />
        <WorldTargets theme={theme} {...props} />
        <RewardBurst game={game} theme={theme} />
        <MissFade game={game} presets={presets} />
        <Collection game={game} theme={theme} presets={presets} />
      </PlaySpace>
    </>
  );
}
