import type { ReachInput } from '../../../shared/clinical/index';

type V3 = [number, number, number];

/**
 * The specification's six synthetic patients (L50, s, lapse): hit probability
 * (1 - lapse) / (1 + exp((L - L50) / s)) at difficulty level L.
 */
export const SYNTHETIC_PROFILES = {
  base: [60, 6, 0],
  steep: [60, 3, 0],
  shallow: [60, 12, 0],
  weak: [25, 6, 0],
  strong: [90, 6, 0],
  lapsing: [60, 6, 0.05],
} as const;

export const hitProbability = (level: number, L50: number, s: number, lapse: number) =>
  (1 - lapse) / (1 + Math.exp((level - L50) / s));

/** Seeded PRNG (mulberry32) so simulations and random sequences are reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const minJerk = (q: number) => {
  const c = Math.min(1, Math.max(0, q));
  return 10 * c ** 3 - 15 * c ** 4 + 6 * c ** 5;
};

export const P0: V3 = [0.1, 1.2, 0.2];
export const U: V3 = [0.6, 0, 0.8];
export const TARGET: V3 = [0.28, 1.2, 0.44];

export const handAt = (t: number, amp = 0.3, dur = 1, start = 0.5): V3 => {
  const s = minJerk((t - start) / dur);
  return [P0[0] + amp * U[0] * s, P0[1] + amp * U[1] * s, P0[2] + amp * U[2] * s];
};
export const headAt = (t: number): V3 => {
  const s = minJerk(t - 0.5);
  return [0.1 + 0.05 * U[0] * s, 1.6 - 0.01 * s, 0 + 0.05 * U[2] * s];
};

/** The spec's MJ100 vector: p(t) = P0 + 0.30 u s((t - 0.5) / 1.0), t_i = i / 100, i = 0..200. */
export function mj100(withHead = true): ReachInput {
  const t: number[] = [];
  const hand: V3[] = [];
  const head: V3[] = [];
  for (let i = 0; i <= 200; i++) {
    const ti = i / 100;
    t.push(ti);
    hand.push(handAt(ti));
    head.push(headAt(ti));
  }
  const input: ReachInput = { t, hand, tGo: 0, target: [...TARGET] };
  if (withHead) input.head = head;
  return input;
}

/** A min-jerk reach sampled at fs for `duration` s. */
export function reach(
  fs: number,
  duration = 2,
  opts: { amp?: number; start?: number } = {},
): ReachInput {
  const t: number[] = [];
  const hand: V3[] = [];
  const head: V3[] = [];
  const n = Math.floor(duration * fs + 1e-9);
  for (let i = 0; i <= n; i++) {
    const ti = i / fs;
    t.push(ti);
    hand.push(handAt(ti, opts.amp ?? 0.3, 1, opts.start ?? 0.5));
    head.push(headAt(ti));
  }
  return { t, hand, head, tGo: 0, target: [...TARGET] };
}

export const relClose = (actual: number | null, expected: number, rel = 1e-6) => {
  if (actual === null) return false;
  return Math.abs(actual - expected) <= rel * Math.abs(expected);
};
