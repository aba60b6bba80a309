import { BufferAttribute, Color, type BufferGeometry } from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';

/** One piece of scenery: a primitive placed in the world, painted one colour. */
export interface Piece {
  geometry: BufferGeometry;
  color: string;
  position: [number, number, number];
  scale?: [number, number, number];
  rotationY?: number;
}

const paint = new Color();

/**
 * Bakes pieces into ONE geometry with per-vertex colours (one draw call, no textures, no
 * real-time shadow): the light is baked as a darker bottom and a lighter top of each piece.
 */
export function bakeScenery(pieces: readonly Piece[]): BufferGeometry {
  const parts = pieces.map(({ geometry, color, position, scale, rotationY }) => {
    const g = geometry.index ? geometry.toNonIndexed() : geometry.clone();
    if (scale) g.scale(scale[0], scale[1], scale[2]);
    if (rotationY) g.rotateY(rotationY);
    g.translate(position[0], position[1], position[2]);
    g.computeBoundingBox();
    const box = g.boundingBox!;
    const height = Math.max(1e-6, box.max.y - box.min.y);
    const positions = g.getAttribute('position');
    const colors = new Float32Array(positions.count * 3);
    paint.set(color);
    for (let i = 0; i < positions.count; i++) {
      const shade = 0.72 + 0.28 * ((positions.getY(i) - box.min.y) / height);
      colors[i * 3] = paint.r * shade;
      colors[i * 3 + 1] = paint.g * shade;
      colors[i * 3 + 2] = paint.b * shade;
    }
    g.setAttribute('color', new BufferAttribute(colors, 3));
    g.deleteAttribute('uv');
    return g;
  });
  const merged = mergeGeometries(parts, false);
  for (const p of parts) p.dispose();
  if (!merged) throw new Error('scenery could not be merged');
  return merged;
}

/** A vertical gradient baked into a sphere's vertices: the sky (seen from inside). */
export function gradientColors(
  geometry: BufferGeometry,
  stops: readonly { at: number; color: string }[],
  axis: 'y' | 'radius' = 'y',
): BufferGeometry {
  const positions = geometry.getAttribute('position');
  const colors = new Float32Array(positions.count * 3);
  const a = new Color();
  const b = new Color();
  let max = 0;
  for (let i = 0; i < positions.count; i++) {
    const v =
      axis === 'y' ? Math.abs(positions.getY(i)) : Math.hypot(positions.getX(i), positions.getZ(i));
    max = Math.max(max, v);
  }
  for (let i = 0; i < positions.count; i++) {
    // -1 (bottom) .. 1 (top) for the sky, 0 (centre) .. 1 (rim) for the ground.
    const v =
      axis === 'y'
        ? positions.getY(i) / max
        : Math.hypot(positions.getX(i), positions.getZ(i)) / max;
    let k = 0;
    while (k < stops.length - 2 && v > stops[k + 1]!.at) k++;
    const from = stops[k]!;
    const to = stops[k + 1]!;
    const f = Math.min(1, Math.max(0, (v - from.at) / (to.at - from.at)));
    a.set(from.color);
    b.set(to.color);
    a.lerp(b, f);
    colors[i * 3] = a.r;
    colors[i * 3 + 1] = a.g;
    colors[i * 3 + 2] = a.b;
  }
  geometry.setAttribute('color', new BufferAttribute(colors, 3));
  return geometry;
}

/** A repeatable pseudo-random sequence, so each world's scenery is the same every day. */
export function scatter(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
