import { splineResample } from './spline';

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
 * already on the grid (the usual case at the device rate) the samples are used as they are. The
 * grid starts at `t0` (the hand's first sample; the head is put on the hand's grid).
 */
export function resampleUniform(
  t: Float64Array,
  axes: Float64Array[],
  fs: number,
  m: number,
  t0: number = t[0]!,
) {
  if (m === t.length && t[0] === t0) {
    let onGrid = true;
    for (let k = 0; k < m && onGrid; k++) onGrid = Math.abs(t[k]! - (t0 + k / fs)) <= 1e-9;
    if (onGrid) return axes.map((a) => Float64Array.from(a));
  }
  const grid = new Float64Array(m);
  for (let k = 0; k < m; k++) grid[k] = t0 + k / fs;
  return splineResample(t, axes, grid);
}
