import { BoxGeometry, ConeGeometry, CylinderGeometry, SphereGeometry } from 'three';
import { scatter, type Piece } from '../themed/geometry';
import type { WorldTheme } from '../themed/theme';
import { ThemedWorld } from '../themed/ThemedWorld';
import type { WorldProps } from '../types';

const POSTS = 14;

/** Posts with strings of lanterns in a wide ring, pavilions on the horizon, a warm dusk. */
function lanternScenery(): Piece[] {
  const random = scatter(23);
  const post = new CylinderGeometry(0.07, 0.09, 3, 6);
  const beam = new BoxGeometry(1, 0.06, 0.06);
  const wall = new BoxGeometry(4, 2.4, 3);
  const roof = new ConeGeometry(3.6, 1.6, 4);
  const pieces: Piece[] = [];
  for (let i = 0; i < POSTS; i++) {
    const a = (i / POSTS) * Math.PI * 2;
    pieces.push({
      geometry: post,
      color: '#5a3b22',
      position: [Math.cos(a) * 7, 1.5, Math.sin(a) * 7],
    });
    // the string between this post and the next
    const b = ((i + 1) / POSTS) * Math.PI * 2;
    const mx = (Math.cos(a) + Math.cos(b)) * 3.5;
    const mz = (Math.sin(a) + Math.sin(b)) * 3.5;
    const len = 2 * 7 * Math.sin(Math.PI / POSTS);
    pieces.push({
      geometry: beam,
      color: '#3b2a1a',
      position: [mx, 2.9, mz],
      scale: [len, 0.3, 0.3],
      rotationY: -(a + b) / 2 + Math.PI / 2,
    });
  }
  for (let i = 0; i < 9; i++) {
    const a = Math.PI * (1.1 + (0.8 * i) / 8);
    const d = 24 + random() * 8;
    const x = Math.cos(a) * d;
    const z = Math.sin(a) * d;
    pieces.push({ geometry: wall, color: '#b8574a', position: [x, 1.2, z], rotationY: -a });
    pieces.push({
      geometry: roof,
      color: '#3d2b3f',
      position: [x, 3.2, z],
      rotationY: -a + Math.PI / 4,
    });
  }
  return pieces;
}

/** The lanterns on the strings: unlit colours, so they glow at dusk without a single light. */
function lanternGlow(): Piece[] {
  const random = scatter(5);
  const lantern = new SphereGeometry(0.22, 10, 8);
  const colors = ['#ffb347', '#ff8c5a', '#ffd36b', '#ff6f61'];
  const pieces: Piece[] = [];
  for (let i = 0; i < POSTS; i++) {
    const a = (i / POSTS) * Math.PI * 2;
    const b = ((i + 1) / POSTS) * Math.PI * 2;
    for (let k = 1; k <= 3; k++) {
      const f = k / 4;
      const x = (Math.cos(a) * (1 - f) + Math.cos(b) * f) * 7;
      const z = (Math.sin(a) * (1 - f) + Math.sin(b) * f) * 7;
      pieces.push({
        geometry: lantern,
        color: colors[(i + k) % 4]!,
        position: [x, 2.55, z],
        scale: [1, 1.25, 1],
      });
    }
  }
  // far-away lanterns already floating up into the sky (still: nothing moves near the face)
  for (let i = 0; i < 30; i++) {
    const a = Math.PI * (1.05 + 0.9 * random());
    const d = 18 + random() * 25;
    pieces.push({
      geometry: lantern,
      color: colors[i % 4]!,
      position: [Math.cos(a) * d, 6 + random() * 14, Math.sin(a) * d],
    });
  }
  return pieces;
}

/** The festival's card: two posts with a string of lanterns, a pavilion behind. */
function lanternPreview(): Piece[] {
  const post = new CylinderGeometry(0.003, 0.004, 0.1, 6);
  const lantern = new SphereGeometry(0.009, 10, 8);
  const colors = ['#ffb347', '#ff6f61', '#ffd36b', '#ff8c5a'];
  return [
    {
      geometry: new BoxGeometry(0.07, 0.035, 0.012),
      color: '#b8574a',
      position: [0.02, 0.0175, 0.006],
    },
    {
      geometry: new ConeGeometry(0.055, 0.025, 4),
      color: '#3d2b3f',
      position: [0.02, 0.047, 0.006],
      rotationY: Math.PI / 4,
    },
    { geometry: post, color: '#5a3b22', position: [-0.08, 0.05, 0.03] },
    { geometry: post, color: '#5a3b22', position: [0.08, 0.05, 0.03] },
    { geometry: new BoxGeometry(0.16, 0.002, 0.002), color: '#3b2a1a', position: [0, 0.095, 0.03] },
    ...colors.map((color, i) => ({
      geometry: lantern,
      color,
      position: [-0.06 + i * 0.04, 0.085, 0.03] as [number, number, number],
      scale: [1, 1.25, 1] as [number, number, number],
    })),
  ];
}

export const LANTERN: WorldTheme = {
  name: 'lantern',
  sky: [
    { at: -1, color: '#3a3352' },
    { at: 0, color: '#ffb37a' },
    { at: 0.18, color: '#e98a8a' },
    { at: 0.5, color: '#7a6aa8' },
    { at: 1, color: '#3b4683' },
  ],
  ground: [
    { at: 0, color: '#d8b48e' },
    { at: 0.12, color: '#c49a7e' },
    { at: 1, color: '#e0a286' },
  ],
  fog: { color: '#d99a8a', near: 20, far: 75 },
  light: { sky: '#ffd9b8', ground: '#5b4f7a', hemisphere: 1.7, sun: '#ffc48a', sunIntensity: 1.1 },
  scenery: lanternScenery,
  preview: lanternPreview,
  glowing: lanternGlow,
  target: 'lantern',
  object: 'box-lantern',
  goal: 'post',
  burst: '#ffd36b',
  token: { color: '#ffb347', one: 'lantern lit', many: 'lanterns lit' },
  holder: '#7a2e1f',
};

export default function Lantern(props: WorldProps) {
  return <ThemedWorld theme={LANTERN} {...props} />;
}
