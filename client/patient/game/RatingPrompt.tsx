import { Suspense, useEffect, useRef, useState } from 'react';
import { useFrame, type ThreeEvent } from '@react-three/fiber';
import { Text } from '@react-three/drei';
import { PlaneGeometry, Vector3, type BufferGeometry, type Group } from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import {
  anchorLabel,
  EFFORT_SCALE,
  PAIN_SCALE,
  scaleFraction,
  scaleValueAt,
  type RatingScale,
} from '../../../shared/clinical/ratings';
import type { Vec3 } from '../../../shared/protocol';
import type { PresetsStore } from '../entry/presets';
import { ratingPromptLayout } from './rating-prompt-layout';
import { usePointerTarget } from './pointer-targets';

/** Served from assets/ (DejaVu Sans Bold), as the panel's. */
const FONT_URL = '/fonts/DejaVuSans-Bold.ttf';

/**
 * Within arm's reach (a finger pokes it) yet far enough to read: 45 cm ahead of the head, a hand's
 * breadth below the shoulder, tilted up toward the eyes. A controller's ray works from anywhere.
 */
const BOARD_AHEAD_M = 0.45;
const BOARD_BELOW_SHOULDER_M = 0.02;
const BOARD_TILT_RAD = -0.35;
const BOARD_WIDTH_M = 0.66;
const BOARD_HEIGHT_M = 0.56;
/** Tracks as tall as a fingertip is wide several times over, so a poke cannot miss them. */
const TRACK_WIDTH_M = 0.5;
const TRACK_HEIGHT_M = 0.07;
const BUTTON_WIDTH_M = 0.24;
const BUTTON_HEIGHT_M = 0.09;

const EFFORT_Y = 0.13;
const PAIN_Y = -0.04;
const BUTTONS_Y = -0.2;

interface SliderProps {
  presets: PresetsStore;
  label: string;
  scale: RatingScale;
  value: number | null;
  y: number;
  fontSize: number;
  onChange(value: number): void;
  name: 'effort' | 'pain';
}

const scratch = new Vector3();

/**
 * The 11 ticks of a scale (long at 0, 5 and 10) as ONE geometry: one draw call per eye instead of
 * eleven, as the prompt is drawn on top of a world within the headset's 100-call budget.
 */
const SCALE_TICKS: BufferGeometry = mergeGeometries(
  Array.from({ length: 11 }, (_, i) =>
    new PlaneGeometry(0.004, TRACK_HEIGHT_M * (i % 5 === 0 ? 0.9 : 0.5)).translate(
      (i / 10 - 0.5) * TRACK_WIDTH_M,
      0,
      0,
    ),
  ),
)!;

/**
 * One big slider: press (trigger on a ray, a finger's poke, a pinch on a hand's ray) anywhere on
 * the track and drag; the value snaps to the scale's steps. The pointer is captured while
 * pressed, so a shaky hand that slips off the track keeps moving the same slider.
 */
function Slider({ presets, label, scale, value, y, fontSize, onChange, name }: SliderProps) {
  const colors = presets((s) => s.style.palette);
  const pressed = useRef<number | null>(null);
  const fromEvent = (e: ThreeEvent<PointerEvent>) => {
    const local = e.object.worldToLocal(scratch.copy(e.point));
    onChange(scaleValueAt(local.x / TRACK_WIDTH_M + 0.5, scale));
  };
  const knobX = value === null ? null : (scaleFraction(value, scale) - 0.5) * TRACK_WIDTH_M;
  const text =
    value === null ? `${label}: not given` : `${label}: ${value} - ${anchorLabel(value, scale)}`;
  return (
    <group position={[0, y, 0]}>
      <Text
        font={FONT_URL}
        fontSize={fontSize}
        color={colors.text}
        position={[0, 0.065, 0.001]}
        maxWidth={BOARD_WIDTH_M - 0.04}
        textAlign="center"
      >
        {text}
      </Text>
      <mesh
        name={`rating-${name}-track`}
        onPointerDown={(e) => {
          e.stopPropagation();
          pressed.current = e.pointerId;
          (e.target as unknown as { setPointerCapture(id: number): void }).setPointerCapture(
            e.pointerId,
          );
          fromEvent(e);
        }}
        onPointerMove={(e) => {
          if (pressed.current === e.pointerId) fromEvent(e);
        }}
        onPointerUp={(e) => {
          if (pressed.current === e.pointerId) pressed.current = null;
        }}
      >
        <planeGeometry args={[TRACK_WIDTH_M, TRACK_HEIGHT_M]} />
        <meshBasicMaterial color={colors.outline === '#ffffff' ? '#333333' : '#1d3b52'} />
      </mesh>
      {/* Scale ticks at every whole number, and the numbers at the ends and middle. */}
      <mesh geometry={SCALE_TICKS} position={[0, 0, 0.001]}>
        <meshBasicMaterial color={colors.text} />
      </mesh>
      {[0, 5, 10].map((n) => (
        <Text
          key={n}
          font={FONT_URL}
          fontSize={fontSize * 0.8}
          color={colors.text}
          position={[(n / 10 - 0.5) * TRACK_WIDTH_M, -0.058, 0.001]}
        >
          {String(n)}
        </Text>
      ))}
      {knobX !== null && (
        <>
          <mesh position={[(knobX - TRACK_WIDTH_M / 2) / 2, 0, 0.0015]}>
            <planeGeometry args={[knobX + TRACK_WIDTH_M / 2, TRACK_HEIGHT_M * 0.35]} />
            <meshBasicMaterial color={colors.target} />
          </mesh>
          <mesh position={[knobX, 0, 0.003]}>
            <circleGeometry args={[TRACK_HEIGHT_M * 0.55, 32]} />
            <meshBasicMaterial color={colors.effector} />
          </mesh>
        </>
      )}
    </group>
  );
}

function Button({
  presets,
  label,
  x,
  fontSize,
  colour,
  onPress,
  name,
}: {
  presets: PresetsStore;
  label: string;
  x: number;
  fontSize: number;
  colour: string;
  onPress(): void;
  name: string;
}) {
  const colors = presets((s) => s.style.palette);
  return (
    <group position={[x, BUTTONS_Y, 0]}>
      <mesh
        name={name}
        onPointerDown={(e) => {
          e.stopPropagation();
          onPress();
        }}
      >
        <planeGeometry args={[BUTTON_WIDTH_M, BUTTON_HEIGHT_M]} />
        <meshBasicMaterial color={colour} />
      </mesh>
      <Text
        font={FONT_URL}
        fontSize={fontSize}
        color={colors.panel}
        position={[0, 0, 0.001]}
        anchorX="center"
        anchorY="middle"
      >
        {label}
      </Text>
    </group>
  );
}

interface Props {
  presets: PresetsStore;
  /** 1-based, as the patient counts. */
  setNumber: number;
  /** Height of the patient's shoulder in the play space, metres (the board sits by it). */
  shoulderHeight: number;
  /** Effort and pain as given (null: not given); both null is a skip. */
  onAnswer(effort: number | null, pain: number | null): void;
}

const worldOf = (group: Group, x: number, y: number, out: Vec3) => {
  group.localToWorld(scratch.set(x, y, 0));
  out[0] = scratch.x;
  out[1] = scratch.y;
  out[2] = scratch.z;
};

/**
 * The set-end prompt in VR: effort (Borg CR10) and pain (0-10) on two big sliders, then Done, or
 * Skip. Large high-contrast text that follows the display presets. Mounted only while the
 * prompt is open, so each set starts with nothing given.
 */
export function RatingPrompt({ presets, setNumber, shoulderHeight, onAnswer }: Props) {
  const style = presets((p) => p.style);
  const colors = style.palette;
  const [effort, setEffort] = useState<number | null>(null);
  const [pain, setPain] = useState<number | null>(null);
  const answered = useRef(false);
  const group = useRef<Group>(null);
  const pointerTarget = usePointerTarget(group);
  useEffect(
    () => () => {
      ratingPromptLayout.visible = false;
    },
    [],
  );
  // Text grows with the "large" preset; the board itself stays within reach of a finger.
  const fontSize = 0.03 * (style.panelScale > 1 ? 1.3 : 1);

  const answer = (e: number | null, p: number | null) => {
    if (answered.current) return;
    answered.current = true;
    onAnswer(e, p);
  };

  useFrame(() => {
    const g = group.current;
    if (!g) return;
    const layout = ratingPromptLayout;
    layout.visible = true;
    const half = TRACK_WIDTH_M / 2;
    worldOf(g, -half, EFFORT_Y, layout.effort.start);
    worldOf(g, half, EFFORT_Y, layout.effort.end);
    worldOf(g, -half, PAIN_Y, layout.pain.start);
    worldOf(g, half, PAIN_Y, layout.pain.end);
    worldOf(g, BUTTON_WIDTH_M / 2 + 0.03, BUTTONS_Y, layout.done);
    worldOf(g, -(BUTTON_WIDTH_M / 2 + 0.03), BUTTONS_Y, layout.skip);
    g.getWorldDirection(scratch);
    layout.normal[0] = scratch.x;
    layout.normal[1] = scratch.y;
    layout.normal[2] = scratch.z;
    layout.effortValue = effort;
    layout.painValue = pain;
  });

  return (
    <Suspense fallback={null}>
      <group
        ref={pointerTarget}
        position={[0, shoulderHeight - BOARD_BELOW_SHOULDER_M, -BOARD_AHEAD_M]}
        rotation={[BOARD_TILT_RAD, 0, 0]}
      >
        <mesh position={[0, 0, -0.002]}>
          <planeGeometry args={[BOARD_WIDTH_M, BOARD_HEIGHT_M]} />
          <meshBasicMaterial color={colors.panel} transparent opacity={style.panelOpacity} />
        </mesh>
        <Text
          font={FONT_URL}
          fontSize={fontSize * 1.1}
          color={colors.target}
          position={[0, BOARD_HEIGHT_M / 2 - 0.04, 0.001]}
          maxWidth={BOARD_WIDTH_M - 0.04}
          textAlign="center"
        >
          {`Set ${setNumber} done. How hard was it? Any pain?`}
        </Text>
        <Slider
          presets={presets}
          name="effort"
          label="Effort"
          scale={EFFORT_SCALE}
          value={effort}
          y={EFFORT_Y}
          fontSize={fontSize}
          onChange={setEffort}
        />
        <Slider
          presets={presets}
          name="pain"
          label="Pain"
          scale={PAIN_SCALE}
          value={pain}
          y={PAIN_Y}
          fontSize={fontSize}
          onChange={setPain}
        />
        <Button
          presets={presets}
          name="rating-skip"
          label="Skip"
          x={-(BUTTON_WIDTH_M / 2 + 0.03)}
          fontSize={fontSize}
          colour={colors.ghost}
          onPress={() => answer(null, null)}
        />
        <Button
          presets={presets}
          name="rating-done"
          label="Done"
          x={BUTTON_WIDTH_M / 2 + 0.03}
          fontSize={fontSize}
          colour={colors.goal}
          onPress={() => answer(effort, pain)}
        />
      </group>
    </Suspense>
  );
}
