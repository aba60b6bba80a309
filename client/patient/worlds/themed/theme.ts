import type { Piece } from './geometry';
import type { WorldName } from '../types';

/** How a themed world looks and sounds; the tasks and every number stay the session's. */
export interface WorldTheme {
  name: WorldName;
  /** Sky dome, bottom (-1) to top (1). */
  sky: readonly { at: number; color: string }[];
  /** Ground disc, centre (0) to rim (1); the rim meets the sky's horizon colour. */
  ground: readonly { at: number; color: string }[];
  fog: { color: string; near: number; far: number };
  light: { sky: string; ground: string; hemisphere: number; sun: string; sunIntensity: number };
  /** Props at a distance, lit (trees, hills, coral). Built once, baked into one mesh. */
  scenery(): Piece[];
  /**
   * The world's picture card in the world menu: a few props on a small stage (metres at the
   * card's scale, stage floor at y = 0, toward the patient +z), baked into one mesh.
   */
  preview(): Piece[];
  /** Props that glow (lanterns): unlit, one more mesh. */
  glowing?(): Piece[];
  /** The shapes given to the session's target, carried object and goal. */
  target: 'apple' | 'lantern' | 'bubble';
  /** Always a box (the spoken instructions call it a cube), dressed by the world. */
  object: 'crate' | 'box-lantern' | 'chest';
  goal: 'basket' | 'post' | 'nest';
  /** The burst on a success, and what the patient collects (score in the world). */
  burst: string;
  token: { color: string; one: string; many: string };
  /** The holder of the collected tokens, beside the board. */
  holder: string;
}
