/** Second-order section coefficients, a0 normalised to 1. */
export type Biquad = { b0: number; b1: number; b2: number; a1: number; a2: number };

/**
 * 2nd-order Butterworth low-pass by the bilinear transform with pre-warping; equals
 * scipy.signal.butter(2, fc, fs=fs) to rounding.
 */
export function butter2Lowpass(fc: number, fs: number): Biquad {
  const k = Math.tan((Math.PI * fc) / fs);
  const k2 = k * k;
  const norm = 1 / (1 + Math.SQRT2 * k + k2);
  const b0 = k2 * norm;
  return {
    b0,
    b1: 2 * b0,
    b2: b0,
    a1: 2 * (k2 - 1) * norm,
    a2: (1 - Math.SQRT2 * k + k2) * norm,
  };
}

/** scipy's default padlen for filtfilt: 3 * max(len(a), len(b)). */
export const FILTFILT_PAD = 9;

/**
 * Zero-phase filtering exactly as scipy.signal.filtfilt(b, a, x) with defaults: odd extension of 9
 * samples at each end and lfilter_zi steady-state initial conditions scaled by the first sample of
 * each pass. Same edges as the reference, so numbers match published pipelines. Needs n > 9.
 * `work` (length n + 18) may be passed to avoid allocation.
 */
export function filtfilt(
  x: Float64Array,
  f: Biquad,
  out: Float64Array = new Float64Array(x.length),
  work: Float64Array = new Float64Array(x.length + 2 * FILTFILT_PAD),
): Float64Array {
  const n = x.length;
  const p = FILTFILT_PAD;
  if (n <= p) throw new RangeError(`filtfilt needs more than ${p} samples, got ${n}`);
  const e = work;
  const ne = n + 2 * p;
  const x0 = x[0]!;
  const xn = x[n - 1]!;
  for (let i = 0; i < p; i++) e[i] = 2 * x0 - x[p - i]!;
  for (let i = 0; i < n; i++) e[p + i] = x[i]!;
  for (let i = 0; i < p; i++) e[p + n + i] = 2 * xn - x[n - 2 - i]!;

  const { b0, b1, b2, a1, a2 } = f;
  // Steady state of the transposed direct form II for a unit step (lfilter_zi).
  const g = (b0 + b1 + b2) / (1 + a1 + a2);
  const zi1 = b1 + b2 - (a1 + a2) * g;
  const zi2 = b2 - a2 * g;

  let z1 = zi1 * e[0]!;
  let z2 = zi2 * e[0]!;
  for (let i = 0; i < ne; i++) {
    const xi = e[i]!;
    const y = b0 * xi + z1;
    z1 = b1 * xi - a1 * y + z2;
    z2 = b2 * xi - a2 * y;
    e[i] = y;
  }
  const last = e[ne - 1]!;
  z1 = zi1 * last;
  z2 = zi2 * last;
  for (let i = ne - 1; i >= 0; i--) {
    const xi = e[i]!;
    const y = b0 * xi + z1;
    z1 = b1 * xi - a1 * y + z2;
    z2 = b2 * xi - a2 * y;
    e[i] = y;
  }
  for (let i = 0; i < n; i++) out[i] = e[p + i]!;
  return out;
}
