import { Suspense, useCallback, useMemo, useRef, type ReactNode } from 'react';
import { useFrame } from '@react-three/fiber';
import { Text } from '@react-three/drei';
import {
  ConeGeometry,
  CylinderGeometry,
  IcosahedronGeometry,
  Shape,
  ShapeGeometry,
  SphereGeometry,
  Object3D,
  type BufferGeometry,
  type Group,
  type InstancedMesh,
} from 'three';
import type { PersonalBest, ProgressThing, SessionProgress } from '../../../shared/game/progress';
import type { Palette } from '../../../shared/game/display-presets';
import type { PresetsStore } from '../entry/presets';
import type { GameStore } from '../game/store';
import { bakeScenery, type Piece } from './themed/geometry';
import type { WorldName } from './types';

/** Served from assets/ (DejaVu Sans Bold), as the board's. */
const FONT_URL = '/fonts/DejaVuSans-Bold.ttf';

/** What each world grows by one per completed session (its words are spoken, its shape shown). */
export const GROWTH: Record<WorldName, ProgressThing> = {
  orchard: { one: 'tree in your orchard', many: 'trees in your orchard' },
  lantern: { one: 'lantern in the sky', many: 'lanterns in the sky' },
  reef: { one: 'coral on your reef', many: 'corals on your reef' },
  plain: { one: 'flower', many: 'flowers' },
};

/** The one word under the growth tile (the spoken words say where it grows). */
const GROWTH_WORD: Record<WorldName, { one: string; many: string }> = {
  orchard: { one: 'tree', many: 'trees' },
  lantern: { one: 'lantern', many: 'lanterns' },
  reef: { one: 'coral', many: 'corals' },
  plain: { one: 'flower', many: 'flowers' },
};

/** Drawn at most (the number on the board says the rest): the scene stays light. */
const MAX_DRAWN = 60;
/** Sizes of a unit (about 1 m tall): the newest stands out a little. */
const OLDER_SCALE = 0.75;
const NEWEST_SCALE = 1;
/** The newest one grows in over this long (slow: nothing moves fast near the face). */
const GROW_SECONDS = 2.5;

/**
 * One unit of growth, baked into one vertex-coloured geometry: about 1 m tall from the ground (a
 * lantern 0.6 m, centred on its place in the sky).
 */
function growthPieces(world: WorldName): Piece[] {
  switch (world) {
    case 'orchard':
      return [
        {
          geometry: new CylinderGeometry(0.06, 0.09, 0.6, 7),
          color: '#7a5533',
          position: [0, 0.3, 0],
        },
        { geometry: new IcosahedronGeometry(0.42, 1), color: '#5fb04a', position: [0, 0.85, 0] },
        { geometry: new SphereGeometry(0.07, 8, 6), color: '#e8483b', position: [0.3, 0.8, 0.2] },
        {
          geometry: new SphereGeometry(0.07, 8, 6),
          color: '#e8483b',
          position: [-0.25, 0.95, 0.25],
        },
        { geometry: new SphereGeometry(0.07, 8, 6), color: '#f2a33a', position: [0.05, 0.7, 0.38] },
      ];
    case 'lantern':
      return [
        {
          geometry: new CylinderGeometry(0.22, 0.17, 0.5, 10),
          color: '#ffb347',
          position: [0, 0, 0],
        },
        {
          geometry: new CylinderGeometry(0.12, 0.22, 0.08, 10),
          color: '#c4453a',
          position: [0, 0.29, 0],
        },
        { geometry: new SphereGeometry(0.1, 8, 6), color: '#fff1b0', position: [0, -0.2, 0] },
      ];
    case 'reef':
      return [
        { geometry: new ConeGeometry(0.12, 0.9, 7), color: '#ff7f6e', position: [0, 0.45, 0] },
        { geometry: new ConeGeometry(0.09, 0.6, 7), color: '#ff9a8a', position: [0.2, 0.3, 0.05] },
        {
          geometry: new ConeGeometry(0.08, 0.5, 7),
          color: '#ff6f91',
          position: [-0.18, 0.25, -0.05],
        },
        { geometry: new SphereGeometry(0.1, 8, 6), color: '#ffd1dc', position: [0, 0.92, 0] },
      ];
    case 'plain':
      return [
        {
          geometry: new CylinderGeometry(0.02, 0.02, 0.6, 5),
          color: '#3fa34d',
          position: [0, 0.3, 0],
        },
        { geometry: new SphereGeometry(0.16, 10, 8), color: '#ffd23f', position: [0, 0.66, 0] },
        { geometry: new SphereGeometry(0.07, 8, 6), color: '#c4453a', position: [0, 0.66, 0.12] },
      ];
  }
}

/**
 * Where the n-th one stands (play space): on the ground in widening arcs in front of the patient,
 * below and beside the board; lanterns float in the sky above and behind it. No allocation: the
 * result is written into `out`.
 */
function growthSlot(world: WorldName, index: number, out: [number, number, number]) {
  const perRow = 10;
  const row = Math.floor(index / perRow);
  const k = index % perRow;
  // Alternating from the middle out: 0, left, right, further left...
  const side = k % 2 === 0 ? 1 : -1;
  // Beside the board, not behind it: from 43 degrees either side outward.
  const angle = side * (0.75 + 0.16 * Math.floor(k / 2)) + (row % 2) * 0.08;
  if (world === 'lantern') {
    const radius = 5 + row * 1.5;
    out[0] = Math.sin(angle) * radius;
    out[1] = 2.9 + ((index * 7) % 5) * 0.35 + row * 0.4;
    out[2] = -Math.cos(angle) * radius;
    return;
  }
  const radius = 2.4 + row * 1.1;
  out[0] = Math.sin(angle) * radius;
  out[1] = 0;
  out[2] = -Math.cos(angle) * radius;
}

/** The persistent progression: one tree (lantern, coral, flower) per completed session. */
function Growth({ world, count }: { world: WorldName; count: number }) {
  const geometry = useMemo(() => bakeScenery(growthPieces(world)), [world]);
  const drawn = Math.min(count, MAX_DRAWN);
  const older = useMemo(() => {
    const slot: [number, number, number] = [0, 0, 0];
    return Array.from({ length: Math.max(0, drawn - 1) }, (_, i) => {
      growthSlot(world, i + 1, slot);
      return [...slot] as [number, number, number];
    });
  }, [world, drawn]);
  // The earlier ones in one draw call, placed once.
  const placeOlder = useCallback(
    (mesh: InstancedMesh | null) => {
      if (mesh === null) return;
      const place = new Object3D();
      older.forEach((p, i) => {
        place.position.set(p[0], p[1], p[2]);
        place.scale.setScalar(OLDER_SCALE);
        place.updateMatrix();
        mesh.setMatrixAt(i, place.matrix);
      });
      mesh.instanceMatrix.needsUpdate = true;
    },
    [older],
  );
  const newest = useRef<Group>(null);
  const grown = useRef(0);
  useFrame((_s, delta) => {
    const g = newest.current;
    if (!g || grown.current >= 1) return;
    grown.current = Math.min(1, grown.current + delta / GROW_SECONDS);
    const s = 0.05 + 0.95 * (1 - (1 - grown.current) ** 3);
    g.scale.set(s, s, s);
  });
  const material =
    world === 'lantern' ? <meshBasicMaterial vertexColors /> : <meshLambertMaterial vertexColors />;
  // The newest one in front (slot 0), the way the patient sees it arrive; the others around it.
  const first: [number, number, number] = [0, 0, 0];
  growthSlot(world, 0, first);
  return (
    <group>
      {older.length > 0 && (
        <instancedMesh
          key={older.length}
          ref={placeOlder}
          args={[geometry, undefined, older.length]}
        >
          {material}
        </instancedMesh>
      )}
      {drawn > 0 && (
        <group ref={newest} position={first} scale={0.05}>
          <mesh geometry={geometry} scale={NEWEST_SCALE}>
            {material}
          </mesh>
        </group>
      )}
    </group>
  );
}

/** A five-pointed star, flat, facing the patient. */
function starGeometry(): BufferGeometry {
  const shape = new Shape();
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? 1 : 0.45;
    const a = Math.PI / 2 + (i * Math.PI) / 5;
    if (i === 0) shape.moveTo(Math.cos(a) * r, Math.sin(a) * r);
    else shape.lineTo(Math.cos(a) * r, Math.sin(a) * r);
  }
  shape.closePath();
  return new ShapeGeometry(shape);
}

const RECORD_TEXT: Record<PersonalBest['kind'], (best: PersonalBest) => string> = {
  'first-session': () => 'Your first session!',
  'most-hits': (b) => `New record: ${b.value} reached!`,
  'best-streak': (b) => `New record: ${b.value} in a row!`,
  'best-success': (b) => `New record: ${b.value} %!`,
  'total-hits': (b) => `${b.value} reached in all!`,
};

/** A big number with its picture above and one word below. */
function Tile({
  x,
  value,
  word,
  colors,
  children,
}: {
  x: number;
  value: number;
  word: string;
  colors: Palette;
  children: ReactNode;
}) {
  return (
    <group position={[x, -0.06, 0.01]}>
      <group position={[0, 0.2, 0]} scale={1.3}>
        {children}
      </group>
      <Text font={FONT_URL} fontSize={0.22} color={colors.text} position={[0, -0.02, 0]}>
        {String(value)}
      </Text>
      <Text font={FONT_URL} fontSize={0.062} color={colors.text} position={[0, -0.2, 0]}>
        {word}
      </Text>
    </group>
  );
}

function Board({
  progress,
  world,
  presets,
  eyeHeight,
}: {
  progress: SessionProgress;
  world: WorldName;
  presets: PresetsStore;
  /** About the patient's eye height (play space): the board is read without looking up. */
  eyeHeight: number;
}) {
  const style = presets((p) => p.style);
  const colors = style.palette;
  const star = useMemo(starGeometry, []);
  const growth = useMemo(() => bakeScenery(growthPieces(world)), [world]);
  const starX = (i: number) => (i - (progress.stars - 1) / 2) * 0.34;
  // The large preset enlarges the board less than the game's: it already fills the view.
  const scale = style.panelScale > 1 ? 1.2 : 1;
  return (
    <group position={[0, eyeHeight - 0.1, -1.5]} scale={scale}>
      <mesh position={[0, 0, -0.01]}>
        <planeGeometry args={[1.95, 1.25]} />
        <meshBasicMaterial color={colors.panel} transparent opacity={style.panelOpacity} />
      </mesh>
      {Array.from({ length: progress.stars }, (_, i) => (
        <mesh key={i} geometry={star} position={[starX(i), 0.44, 0.01]} scale={0.14}>
          <meshBasicMaterial color={colors.target} toneMapped={false} />
        </mesh>
      ))}
      <Tile x={-0.72} value={progress.hits} word="reached" colors={colors}>
        <mesh>
          <sphereGeometry args={[0.05, 16, 12]} />
          <meshBasicMaterial color={colors.target} />
        </mesh>
      </Tile>
      <Tile x={-0.24} value={progress.minutesActive} word="minutes" colors={colors}>
        <mesh>
          <torusGeometry args={[0.045, 0.01, 8, 24]} />
          <meshBasicMaterial color={colors.text} />
        </mesh>
        <mesh position={[0.012, 0.012, 0]} rotation={[0, 0, -Math.PI / 4]}>
          <planeGeometry args={[0.008, 0.04]} />
          <meshBasicMaterial color={colors.text} />
        </mesh>
      </Tile>
      <Tile x={0.24} value={progress.daysInARow} word="days in a row" colors={colors}>
        <mesh>
          <circleGeometry args={[0.04, 20]} />
          <meshBasicMaterial color="#ffa630" />
        </mesh>
        <mesh>
          <ringGeometry args={[0.05, 0.06, 20]} />
          <meshBasicMaterial color="#ffa630" />
        </mesh>
      </Tile>
      <Tile
        x={0.72}
        value={progress.completedSessions}
        word={progress.completedSessions === 1 ? GROWTH_WORD[world].one : GROWTH_WORD[world].many}
        colors={colors}
      >
        <mesh
          geometry={growth}
          position={world === 'lantern' ? [0, 0, 0] : [0, -0.05, 0]}
          scale={world === 'lantern' ? 0.17 : 0.1}
        >
          {world === 'lantern' ? (
            <meshBasicMaterial vertexColors />
          ) : (
            <meshLambertMaterial vertexColors />
          )}
        </mesh>
      </Tile>
      <Text
        font={FONT_URL}
        fontSize={0.09}
        color={colors.goal}
        position={[0, -0.48, 0.01]}
        maxWidth={1.85}
        textAlign="center"
      >
        {RECORD_TEXT[progress.personalBest.kind](progress.personalBest)}
      </Text>
    </group>
  );
}

/**
 * The end of a session in the headset: stars, big numbers (reached, minutes, days in a row, and
 * the world's count of trees, lanterns or corals), the one record that holds, and the world's
 * growth itself around the patient, the newest one growing in. Shown once the session has ended
 * and its progress is computed (game/end-of-session.ts); in play space, facing the patient.
 */
export function EndScene({
  store,
  presets,
  world,
}: {
  store: GameStore;
  presets: PresetsStore;
  world: WorldName;
}) {
  const progress = store((s) => s.endOfSession);
  // The calibrated shoulder is about 0.2 m below the eyes; without one, a seated adult's.
  const eyeHeight = store((s) => (s.workspace?.shoulder[1] ?? 1.0) + 0.2);
  if (progress === null) return null;
  return (
    <Suspense fallback={null}>
      <Growth world={world} count={progress.completedSessions} />
      <Board progress={progress} world={world} presets={presets} eyeHeight={eyeHeight} />
    </Suspense>
  );
}
