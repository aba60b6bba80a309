import { z } from 'zod';
import { finite } from '../types';
import type { DifficultyConfig, DifficultyConfigInput } from './config';
import { clampLevel, resolveDifficultyConfig } from './config';

/** The task parameters at a level, as the headset plays them and the wire and records carry them. */
export const difficultyParamsSchema = z.object({
  /** Target distance as a fraction of the calibrated reach. */
  distanceFraction: finite,
  /** Target radius, metres. */
  targetRadius: finite,
  /** Time allowed from target appearance to contact, seconds. */
  timeLimit: finite,
  /** Angular spread of target directions, degrees. */
  spreadDeg: finite,
});
export type DifficultyParams = z.infer<typeof difficultyParamsSchema>;

const lin = (easy: number, hard: number, x: number) => easy + (hard - easy) * x;
// Geometric so each level step is the same percentage change (Fitts-like log scale).
const geo = (easy: number, hard: number, x: number) =>
  easy === hard ? easy : easy * (hard / easy) ** x;

export function paramsFor(level: number, c: DifficultyConfig): DifficultyParams {
  const x = level / 100;
  return {
    distanceFraction: lin(c.distance.easy, c.distance.hard, x),
    targetRadius: geo(c.radius.easy, c.radius.hard, x),
    timeLimit: geo(c.timeLimit.easy, c.timeLimit.hard, x),
    spreadDeg: lin(c.spread.easy, c.spread.hard, x),
  };
}

/** Task parameters at a level (clamped to the configured bounds). */
export function difficultyParams(level: number, config?: DifficultyConfigInput): DifficultyParams {
  const c = resolveDifficultyConfig(config);
  if (!Number.isFinite(level)) throw new RangeError(`level must be a finite number, got ${level}`);
  return paramsFor(clampLevel(level, c), c);
}
