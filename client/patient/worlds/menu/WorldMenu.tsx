import { Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useFrame } from '@react-three/fiber';
import { Text } from '@react-three/drei';
import { CircleGeometry, Matrix4, PlaneGeometry, Vector3, type Group } from 'three';
import {
  cardCentreX,
  createPokeTracker,
  MENU_CARD,
  OFFERED_WORLDS,
  pokedWorld,
  WORLD_CARD_NAMES,
  worldMenuCountdown,
  type OfferedWorld,
} from '../../../../shared/game/world-choice';
import type { Vec3 } from '../../../../shared/protocol';
import type { PresetsStore } from '../../entry/presets';
import type { GameSession } from '../../game/game-session';
import { WORLD_LOADERS } from '../registry';
import { LANTERN } from '../lantern';
import { ORCHARD } from '../orchard';
import { REEF } from '../reef';
import { bakeScenery, gradientColors } from '../themed/geometry';
import type { WorldTheme } from '../themed/theme';
import { Dressing } from '../themed/ThemedWorld';
import type { WorldMenuController } from './controller';
import { worldMenuLayout } from './layout';
import { usePointerTarget } from '../../game/pointer-targets';

const FONT_URL = '/fonts/DejaVuSans-Bold.ttf';
const THEMES: Record<OfferedWorld, WorldTheme> = { orchard: ORCHARD, lantern: LANTERN, reef: REEF };

/**
 * Within arm's reach (a finger pokes a card) yet far enough to see whole: 45 cm ahead, about at
 * the shoulders, tilted up toward the eyes. A controller's ray works from anywhere.
 */
const MENU_AHEAD_M = 0.45;
const MENU_BELOW_EYES_M = 0.2;
const MENU_TILT_RAD = -0.25;
/** Before the first tracked frame: a seated adult's eye height. */
const DEFAULT_EYE_HEIGHT_M = 1.2;
const CARD_WIDTH_M = MENU_CARD.width;
const CARD_HEIGHT_M = MENU_CARD.height;
const PICTURE_WIDTH_M = 0.184;
const PICTURE_HEIGHT_M = 0.17;
const PICTURE_Y = 0.03;
const STAGE_Y = PICTURE_Y - PICTURE_HEIGHT_M / 2;
const NAME_Y = -0.1;
const TARGET_RADIUS_M = 0.024;

const scratch = new Vector3();
const toMenu = new Matrix4();
const ARMS = ['left', 'right'] as const;

/** A small diorama of the world: its sky, its ground, a few of its props, its target dressed. */
function Diorama({ theme, presets }: { theme: WorldTheme; presets: PresetsStore }) {
  const colors = presets((s) => s.style.palette);
  const sky = useMemo(
    () => gradientColors(new PlaneGeometry(PICTURE_WIDTH_M, PICTURE_HEIGHT_M, 1, 16), theme.sky),
    [theme],
  );
  const ground = useMemo(
    () =>
      gradientColors(
        new CircleGeometry(PICTURE_WIDTH_M / 2, 32, 0, Math.PI).rotateX(Math.PI / 2),
        theme.ground,
        'radius',
      ),
    [theme],
  );
  const props = useMemo(() => bakeScenery(theme.preview()), [theme]);
  useEffect(
    () => () => {
      for (const g of [sky, ground, props]) g.dispose();
    },
    [sky, ground, props],
  );
  return (
    <>
      <mesh geometry={sky} position={[0, PICTURE_Y, 0]}>
        <meshBasicMaterial vertexColors />
      </mesh>
      <group position={[0, STAGE_Y, 0.001]}>
        <mesh geometry={ground}>
          <meshBasicMaterial vertexColors />
        </mesh>
        <mesh geometry={props}>
          <meshLambertMaterial vertexColors />
        </mesh>
        <group position={[0, TARGET_RADIUS_M * 1.6, 0.055]}>
          <mesh scale={theme.target === 'lantern' ? [0.85, 1, 0.85] : 1}>
            <sphereGeometry args={[TARGET_RADIUS_M, 24, 16]} />
            <meshLambertMaterial
              color={colors.target}
              emissive={colors.target}
              emissiveIntensity={0.3}
              transparent={theme.target === 'bubble'}
              opacity={theme.target === 'bubble' ? 0.85 : 1}
            />
          </mesh>
          <Dressing shape={theme.target} r={TARGET_RADIUS_M} />
        </group>
      </group>
    </>
  );
}

function Card({
  world,
  x,
  presets,
  chosen,
  onChoose,
}: {
  world: OfferedWorld;
  x: number;
  presets: PresetsStore;
  chosen: OfferedWorld | null;
  onChoose(world: OfferedWorld): void;
}) {
  const style = presets((s) => s.style);
  const colors = style.palette;
  const [hovered, setHovered] = useState(false);
  const lit = chosen === world || (chosen === null && hovered);
  const fontSize = 0.03 * (style.panelScale > 1 ? 1.25 : 1);
  return (
    <group
      position={[x, 0, 0]}
      name={`world-card-${world}`}
      // Any press on the card: a ray with the trigger (or a hand's pinch), or a finger's poke.
      onPointerDown={(e) => {
        e.stopPropagation();
        onChoose(world);
      }}
      onPointerOver={() => setHovered(true)}
      onPointerOut={() => setHovered(false)}
      visible={chosen === null || chosen === world}
    >
      {/* A thick frame in the target colour marks the card aimed at, and the one chosen. */}
      <mesh position={[0, 0, -0.004]}>
        <planeGeometry args={[CARD_WIDTH_M + 0.016, CARD_HEIGHT_M + 0.016]} />
        <meshBasicMaterial color={lit ? colors.target : colors.outline} />
      </mesh>
      <mesh position={[0, 0, -0.002]}>
        <planeGeometry args={[CARD_WIDTH_M, CARD_HEIGHT_M]} />
        <meshBasicMaterial color={colors.panel} />
      </mesh>
      <Diorama theme={THEMES[world]} presets={presets} />
      <Text
        font={FONT_URL}
        fontSize={fontSize}
        color={colors.text}
        position={[0, NAME_Y, 0.001]}
        maxWidth={CARD_WIDTH_M - 0.01}
        textAlign="center"
        anchorX="center"
        anchorY="middle"
      >
        {WORLD_CARD_NAMES[world]}
      </Text>
    </group>
  );
}

/**
 * The patient's world menu, before calibration and the first set: a big picture card per world,
 * chosen with a controller's ray or a finger's poke, a countdown to the default world below.
 * Loaded only when a plan leaves the world to the patient (its own chunk, after Enter VR).
 */
export default function WorldMenu({
  controller,
  game,
  presets,
}: {
  controller: WorldMenuController;
  game: GameSession;
  presets: PresetsStore;
}) {
  const style = presets((s) => s.style);
  const colors = style.palette;
  const view = controller.store();
  const group = useRef<Group>(null);
  const pointerTarget = usePointerTarget(group);
  const placed = useRef(false);
  const poke = useMemo(createPokeTracker, []);
  // The chosen world's chunk is at hand the moment the patient chooses.
  useEffect(() => {
    for (const world of OFFERED_WORLDS) void WORLD_LOADERS[world]().catch(() => undefined);
  }, []);
  useEffect(
    () => () => {
      worldMenuLayout.visible = false;
    },
    [],
  );
  useFrame(() => {
    const g = group.current;
    if (!g) return;
    // Placed once, in front of where the head is when the menu opens (the play space is anchored
    // on the head): it does not follow the head around.
    const { head, effector, tracked } = game.input;
    if (!placed.current) {
      if (head[1] <= 0) return;
      placed.current = true;
      g.position.set(head[0], head[1] - MENU_BELOW_EYES_M, head[2] - MENU_AHEAD_M);
      g.updateMatrix();
      toMenu.copy(g.matrix).invert();
    }
    // A fingertip (or a controller) pushed into a card chooses it: the poke, measured on the
    // game's own tracking (the ray's trigger comes as a pointer event).
    for (let i = 0; i < ARMS.length; i++) {
      const arm = ARMS[i]!;
      const p = effector[arm];
      scratch.set(p[0], p[1], p[2]).applyMatrix4(toMenu);
      const poked = pokedWorld(poke, arm, tracked[arm], scratch.x, scratch.y, scratch.z);
      if (poked !== null) controller.choose(poked);
    }
    const layout = worldMenuLayout;
    layout.visible = view.chosen === null;
    for (let i = 0; i < OFFERED_WORLDS.length; i++) {
      g.localToWorld(scratch.set(cardCentreX(i), PICTURE_Y, 0));
      const out: Vec3 = layout.cards[OFFERED_WORLDS[i]!];
      out[0] = scratch.x;
      out[1] = scratch.y;
      out[2] = scratch.z;
    }
    g.getWorldDirection(scratch);
    layout.normal[0] = scratch.x;
    layout.normal[1] = scratch.y;
    layout.normal[2] = scratch.z;
  });
  const fontSize = 0.032 * (style.panelScale > 1 ? 1.25 : 1);
  return (
    <Suspense fallback={null}>
      <group
        ref={pointerTarget}
        position={[0, DEFAULT_EYE_HEIGHT_M - MENU_BELOW_EYES_M, -MENU_AHEAD_M]}
        rotation={[MENU_TILT_RAD, 0, 0]}
      >
        <Text
          font={FONT_URL}
          fontSize={fontSize}
          color={colors.text}
          outlineWidth={0.002}
          outlineColor="#000000"
          position={[0, CARD_HEIGHT_M / 2 + 0.045, 0]}
          maxWidth={0.75}
          textAlign="center"
          anchorX="center"
          anchorY="middle"
        >
          Where would you like to play today?
        </Text>
        {OFFERED_WORLDS.map((world, i) => (
          <Card
            key={world}
            world={world}
            x={cardCentreX(i)}
            presets={presets}
            chosen={view.chosen}
            onChoose={controller.choose}
          />
        ))}
        {view.chosen === null && (
          <Text
            font={FONT_URL}
            fontSize={fontSize * 0.75}
            color={colors.text}
            outlineWidth={0.002}
            outlineColor="#000000"
            position={[0, -CARD_HEIGHT_M / 2 - 0.035, 0]}
            maxWidth={0.75}
            textAlign="center"
            anchorX="center"
            anchorY="middle"
          >
            {worldMenuCountdown(view.fallback, view.secondsLeft)}
          </Text>
        )}
      </group>
    </Suspense>
  );
}
