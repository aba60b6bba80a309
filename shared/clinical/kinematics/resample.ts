import { splineResample } from './spline';

export type CleanSamples = {
  t: Float64Array;
  /** x, y, z of the hand, then x, y, z of the head when usable. */
  axes: Float64Array[];
  droppedNonFinite: number;
  droppedNonIncreasing: number;
};

type P3 = readonly [number, number, number];
const finite3 = (p: P3 | undefined) =>
  p !== undefined && Number.isFinite(p[0]) && Number.isFinite(p[1]) && Number.isFinite(p[2]);

/**
 * Keeps samples with finite time and positions and strictly increasing time. A late duplicate is
 * a re-sent packet and an earlier time a clock step; neither can be placed on a time axis.
 */
export function cleanSamples(
  t: readonly number[],
  hand: readonly P3[],
  head: readonly P3[] | null,
): CleanSamples {
  const n = head ? Math.min(t.length, hand.length, head.length) : Math.min(t.length, hand.length);
  const tt = new Float64Array(n);
  const nAxes = head ? 6 : 3;
  const axes: Float64Array[] = [];
  for (let a = 0; a < nAxes; a++) axes.push(new Float64Array(n));
  let m = 0;
  let droppedNonFinite = 0;
  let droppedNonIncreasing = 0;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const ti = t[i]!;
    const p = hand[i];
    const h = head ? head[i] : undefined;
    if (!Number.isFinite(ti) || !finite3(p) || (head && !finite3(h))) {
      droppedNonFinite++;
      continue;
    }
    if (!(ti > last)) {
      droppedNonIncreasing++;
      continue;
    }
    last = ti;
    tt[m] = ti;
    axes[0]![m] = p![0];
    axes[1]![m] = p![1];
    axes[2]![m] = p![2];
    if (h) {
      axes[3]![m] = h[0];
      axes[4]![m] = h[1];
      axes[5]![m] = h[2];
    }
    m++;
  }
  return {
    t: tt.subarray(0, m),
    axes: axes.map((a) => a.subarray(0, m)),
    droppedNonFinite,
    droppedNonIncreasing,
  };
}

/** round(1 / median dt): the device rate, robust to dropped frames and jitter. */
export function estimateRate(t: Float64Array): number {
  const n = t.length;
  if (n < 2) return NaN;
  const dt = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) dt[i] = t[i + 1]! - t[i]!;
  dt.sort();
  const mid = (n - 1) >> 1;
  const med = (n - 1) % 2 === 1 ? dt[mid]! : (dt[mid - 1]! + dt[mid]!) / 2;
  return Math.round(1 / med);
}

/** Number of grid points t_0 + k/fs up to the last sample (spec B.1). */
export function gridLength(t0: number, tLast: number, fs: number): number {
  return Math.floor((tLast - t0) * fs + 1e-9) + 1;
}

/**
 * Resamples every axis onto the uniform grid with a natural cubic spline. When the recording is
 * already on the grid (the usual case at the device rate) the samples are used as they are.
 */
export function resampleUniform(t: Float64Array, axes: Float64Array[], fs: number, m: number) {
  const t0 = t[0]!;
  if (m === t.length) {
    let onGrid = true;
    for (let k = 0; k < m && onGrid; k++) onGrid = Math.abs(t[k]! - (t0 + k / fs)) <= 1e-9;
    if (onGrid) return axes.map((a) => Float64Array.from(a));
  }
  const grid = new Float64Array(m);
  for (let k = 0; k < m; k++) grid[k] = t0 + k / fs;
  return splineResample(t, axes, grid);
}
