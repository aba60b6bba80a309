export type JerkStats = {
  /** sum_k ||jerk_k||^2 / fs, jerk by second differences of velocity. */
  jerkIntegral: number;
  /** Mean ||jerk_k||, m/s^3. */
  meanJerk: number;
  peakSpeed: number;
  /** Duration N / fs. */
  duration: number;
};

/** Jerk of a velocity segment [from, to] given per axis (1 to 3 axes). */
export function jerkStats(
  axes: readonly Float64Array[],
  from: number,
  to: number,
  fs: number,
): JerkStats {
  const fs2 = fs * fs;
  let sum = 0;
  let sumNorm = 0;
  let peak2 = 0;
  for (let k = from; k <= to; k++) {
    let v2 = 0;
    for (const v of axes) v2 += v[k]! * v[k]!;
    if (v2 > peak2) peak2 = v2;
  }
  for (let k = from; k + 2 <= to; k++) {
    let j2 = 0;
    for (const v of axes) {
      const j = (v[k + 2]! - 2 * v[k + 1]! + v[k]!) * fs2;
      j2 += j * j;
    }
    sum += j2;
    sumNorm += Math.sqrt(j2);
  }
  const count = to - from - 1;
  return {
    jerkIntegral: sum / fs,
    meanJerk: count > 0 ? sumNorm / count : NaN,
    peakSpeed: Math.sqrt(peak2),
    duration: (to - from + 1) / fs,
  };
}

export function ldljFromStats(s: JerkStats): number {
  return -Math.log((s.duration ** 3 / (s.peakSpeed * s.peakSpeed)) * s.jerkIntegral);
}

/**
 * Log dimensionless jerk (Balasubramanian et al. 2015) of a velocity profile: 1-D (a speed or a
 * signed velocity) or 3-D. Returns NaN if it is undefined (fewer than 3 samples, zero peak speed
 * or zero jerk).
 */
export function ldlj(
  velocity: readonly number[] | readonly (readonly number[])[],
  fs: number,
): number {
  const n = velocity.length;
  if (n < 3 || !(fs > 0)) return NaN;
  const first = velocity[0];
  const dims = typeof first === 'number' ? 1 : (first as readonly number[]).length;
  const axes: Float64Array[] = [];
  for (let d = 0; d < dims; d++) {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = velocity[i]!;
      a[i] = typeof v === 'number' ? v : (v[d] ?? NaN);
    }
    axes.push(a);
  }
  const r = ldljFromStats(jerkStats(axes, 0, n - 1, fs));
  return Number.isFinite(r) ? r : NaN;
}
