import {
  ConeGeometry,
  CylinderGeometry,
  DodecahedronGeometry,
  SphereGeometry,
  TorusGeometry,
} from 'three';
import { scatter, type Piece } from '../themed/geometry';
import type { WorldTheme } from '../themed/theme';
import { ThemedWorld } from '../themed/ThemedWorld';
import type { WorldProps } from '../types';

/** Coral, sea grass and rocks on white sand, in clear shallow water lit from above. */
function reefScenery(): Piece[] {
  const random = scatter(37);
  const rock = new DodecahedronGeometry(1, 0);
  const coralCone = new ConeGeometry(0.35, 1.4, 7);
  const coralBall = new SphereGeometry(0.6, 10, 8);
  const coralFan = new TorusGeometry(0.7, 0.12, 6, 12, Math.PI);
  const grass = new CylinderGeometry(0.03, 0.05, 1.6, 4);
  const corals = ['#ff8a7a', '#ffb86b', '#c98bdb', '#ff6fa3', '#f7d06b'];
  const pieces: Piece[] = [];
  for (let i = 0; i < 60; i++) {
    const a = random() * Math.PI * 2;
    const d = 6.5 + random() * 14;
    const x = Math.cos(a) * d;
    const z = Math.sin(a) * d;
    const kind = i % 5;
    const color = corals[i % corals.length]!;
    const s = 0.7 + random() * 0.8;
    if (kind === 0)
      pieces.push({
        geometry: rock,
        color: '#9a8f86',
        position: [x, 0.2, z],
        scale: [s, 0.6 * s, s],
        rotationY: a,
      });
    else if (kind === 1)
      pieces.push({ geometry: coralCone, color, position: [x, 0.7 * s, z], scale: [s, s, s] });
    else if (kind === 2)
      pieces.push({
        geometry: coralBall,
        color,
        position: [x, 0.35 * s, z],
        scale: [s, 0.8 * s, s],
      });
    else if (kind === 3)
      pieces.push({
        geometry: coralFan,
        color,
        position: [x, 0.1, z],
        scale: [s, s, s],
        rotationY: a,
      });
    else
      for (let g = 0; g < 4; g++)
        pieces.push({
          geometry: grass,
          color: '#4fae7a',
          position: [x + g * 0.15, 0.8 * s, z + (g % 2) * 0.15],
          scale: [1, s, 1],
        });
  }
  for (let i = 0; i < 10; i++) {
    const a = (i / 10) * Math.PI * 2;
    pieces.push({
      geometry: rock,
      color: '#7f8f95',
      position: [Math.cos(a) * 36, 0, Math.sin(a) * 36],
      scale: [5, 3 + random() * 2, 5],
      rotationY: a,
    });
  }
  return pieces;
}

/** The reef's card: coral, sea grass and a rock on white sand. */
function reefPreview(): Piece[] {
  const grass = new CylinderGeometry(0.0015, 0.0025, 0.05, 4);
  return [
    {
      geometry: new DodecahedronGeometry(0.022, 0),
      color: '#9a8f86',
      position: [0.065, 0.01, 0.01],
      scale: [1, 0.6, 1],
    },
    { geometry: new ConeGeometry(0.012, 0.06, 7), color: '#ff8a7a', position: [-0.07, 0.03, 0.02] },
    {
      geometry: new ConeGeometry(0.01, 0.045, 7),
      color: '#c98bdb',
      position: [-0.05, 0.0225, 0.035],
    },
    {
      geometry: new SphereGeometry(0.02, 10, 8),
      color: '#ffb86b',
      position: [0.075, 0.03, 0.035],
      scale: [1, 0.8, 1],
    },
    {
      geometry: new TorusGeometry(0.025, 0.005, 6, 12, Math.PI),
      color: '#ff6fa3',
      position: [-0.02, 0.0, 0.008],
    },
    ...[0, 1, 2, 3].map((g) => ({
      geometry: grass,
      color: '#4fae7a',
      position: [0.035 + g * 0.006, 0.025, 0.045 + (g % 2) * 0.006] as [number, number, number],
    })),
  ];
}

export const REEF: WorldTheme = {
  name: 'reef',
  sky: [
    { at: -1, color: '#1f6f8b' },
    { at: 0, color: '#4fb3c8' },
    { at: 0.5, color: '#8fd9e6' },
    { at: 1, color: '#d6f6fa' },
  ],
  ground: [
    { at: 0, color: '#f3e6c4' },
    { at: 0.2, color: '#e6d6ae' },
    { at: 1, color: '#4fb3c8' },
  ],
  fog: { color: '#5fbfd0', near: 12, far: 45 },
  light: { sky: '#e6fbff', ground: '#c9b88f', hemisphere: 1.4, sun: '#f2fdff', sunIntensity: 1.2 },
  scenery: reefScenery,
  preview: reefPreview,
  target: 'bubble',
  object: 'chest',
  goal: 'nest',
  burst: '#ffffff',
  token: { color: '#f2f2f7', one: 'pearl', many: 'pearls' },
  holder: '#d9a38f',
};

export default function Reef(props: WorldProps) {
  return <ThemedWorld theme={REEF} {...props} />;
}
