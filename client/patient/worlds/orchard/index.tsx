import { ConeGeometry, CylinderGeometry, IcosahedronGeometry, SphereGeometry } from 'three';
import { scatter, type Piece } from '../themed/geometry';
import type { WorldTheme } from '../themed/theme';
import { ThemedWorld } from '../themed/ThemedWorld';
import type { WorldProps } from '../types';

/** Rows of fruit trees on a meadow, soft hills behind, a clear morning sky. */
function orchardScenery(): Piece[] {
  const random = scatter(11);
  const trunk = new CylinderGeometry(0.12, 0.18, 1.6, 7);
  const crown = new IcosahedronGeometry(1, 1);
  const fruit = new SphereGeometry(0.12, 6, 4);
  const hill = new SphereGeometry(1, 16, 8, 0, Math.PI * 2, 0, Math.PI / 2);
  const bush = new IcosahedronGeometry(0.5, 0);
  const pieces: Piece[] = [];
  // Trees in loose rows from 9 m on, with an open lane straight ahead to the hills.
  for (let row = 0; row < 4; row++) {
    for (let i = -5; i <= 5; i++) {
      if (Math.abs(i) < 1 + (row < 2 ? 1 : 0)) continue;
      const x = i * 4.5 + (random() - 0.5) * 1.5;
      const z = -(9 + row * 6) + (random() - 0.5) * 2;
      const size = 0.8 + random() * 0.3;
      pieces.push({
        geometry: trunk,
        color: '#7a5533',
        position: [x, 0.8 * size, z],
        scale: [size, size, size],
      });
      pieces.push({
        geometry: crown,
        color: random() < 0.5 ? '#6bb84f' : '#5aa847',
        position: [x, 2.2 * size, z],
        scale: [1.3 * size, 1.1 * size, 1.3 * size],
      });
      for (let f = 0; f < 6; f++) {
        const a = random() * Math.PI * 2;
        pieces.push({
          geometry: fruit,
          color: random() < 0.6 ? '#e8483b' : '#f2a33a',
          position: [
            x + Math.cos(a) * 1.15 * size,
            (1.9 + random() * 0.7) * size,
            z + Math.sin(a) * 1.15 * size,
          ],
          scale: [1.5, 1.5, 1.5],
        });
      }
    }
  }
  // A few trees behind and beside the patient: a place all around, not a stage.
  for (let i = 0; i < 10; i++) {
    const a = Math.PI * (0.15 + 0.7 * (i / 9));
    const d = 10 + random() * 6;
    const x = Math.cos(a) * d * (i % 2 ? 1 : -1);
    const z = Math.sin(a) * d;
    pieces.push({ geometry: trunk, color: '#7a5533', position: [x, 0.8, z] });
    pieces.push({
      geometry: crown,
      color: '#58a64a',
      position: [x, 2.2, z],
      scale: [1.4, 1.2, 1.4],
    });
  }
  for (let i = 0; i < 12; i++) {
    const a = (i / 12) * Math.PI * 2;
    pieces.push({
      geometry: hill,
      color: i % 2 ? '#8cc66b' : '#7dbb60',
      position: [Math.cos(a) * 42, -1, Math.sin(a) * 42],
      scale: [14 + random() * 6, 5 + random() * 4, 10],
      rotationY: -a,
    });
  }
  for (let i = 0; i < 14; i++) {
    const a = random() * Math.PI * 2;
    const d = 5 + random() * 7;
    pieces.push({
      geometry: bush,
      color: '#6bb35a',
      position: [Math.cos(a) * d, 0.2, Math.sin(a) * d],
    });
  }
  // A little barn far away on the left.
  pieces.push({
    geometry: new CylinderGeometry(1.6, 1.6, 2.2, 4),
    color: '#c4453a',
    position: [-16, 1.1, -22],
    rotationY: Math.PI / 4,
  });
  pieces.push({
    geometry: new ConeGeometry(2.3, 1.5, 4),
    color: '#5b4636',
    position: [-16, 2.95, -22],
    rotationY: Math.PI / 4,
  });
  return pieces;
}

/** The orchard's card: two fruit trees on a meadow with a hill behind. */
function orchardPreview(): Piece[] {
  const trunk = new CylinderGeometry(0.005, 0.007, 0.05, 6);
  const crown = new IcosahedronGeometry(0.03, 1);
  const fruit = new SphereGeometry(0.0055, 6, 4);
  const hill = new SphereGeometry(1, 12, 6, 0, Math.PI * 2, 0, Math.PI / 2);
  const tree = (x: number, z: number, s: number): Piece[] => [
    { geometry: trunk, color: '#7a5533', position: [x, 0.025 * s, z], scale: [s, s, s] },
    { geometry: crown, color: '#5aa847', position: [x, 0.068 * s, z], scale: [s, 0.9 * s, s] },
    ...[0, 2, 4].map((k) => ({
      geometry: fruit,
      color: '#e8483b',
      position: [
        x + Math.cos(k) * 0.027 * s,
        (0.06 + 0.01 * (k % 3)) * s,
        z + Math.abs(Math.sin(k)) * 0.02 * s + 0.012,
      ] as [number, number, number],
    })),
  ];
  return [
    { geometry: hill, color: '#8cc66b', position: [0.02, 0, 0.004], scale: [0.09, 0.03, 0.012] },
    ...tree(-0.06, 0.02, 1),
    ...tree(0.065, 0.012, 0.85),
  ];
}

export const ORCHARD: WorldTheme = {
  name: 'orchard',
  sky: [
    { at: -1, color: '#cfe6b8' },
    { at: 0, color: '#fdf1d4' },
    { at: 0.25, color: '#bfe0f5' },
    { at: 1, color: '#6fb3e8' },
  ],
  ground: [
    { at: 0, color: '#b9dc8a' },
    { at: 0.15, color: '#9fd07a' },
    { at: 1, color: '#cfe6b8' },
  ],
  fog: { color: '#e4efd8', near: 25, far: 80 },
  light: { sky: '#fff8e6', ground: '#7da35c', hemisphere: 1.3, sun: '#fff1d0', sunIntensity: 1.3 },
  scenery: orchardScenery,
  preview: orchardPreview,
  target: 'apple',
  object: 'crate',
  goal: 'basket',
  burst: '#ffe27a',
  token: { color: '#e8483b', one: 'apple', many: 'apples' },
  holder: '#b07a45',
};

export default function Orchard(props: WorldProps) {
  return <ThemedWorld theme={ORCHARD} {...props} />;
}
