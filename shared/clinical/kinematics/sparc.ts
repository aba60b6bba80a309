import { fft } from '../fft';
import { ReachInputError } from './errors';

export type SparcOptions = {
  /** Zero padding: nfft = 2^(ceil(log2 N) + padLevel). */
  padLevel?: number;
  /** Highest frequency considered, Hz. */
  fc?: number;
  /** Normalised magnitude below which the spectrum's tails are cut. */
  ampThreshold?: number;
};

/**
 * Spectral arc length (Balasubramanian et al. 2015, JNER 12:112), the spec's main smoothness
 * outcome: dimensionless, independent of amplitude and duration, robust to tracking noise.
 * Returns NaN for fewer than two samples or an all-zero profile (no spectrum to measure: a single
 * sample's flat spectrum would otherwise read as -1, a smoothness no movement has). Throws
 * ReachInputError for options out of range (padLevel an integer 0-6, fc above 0, ampThreshold
 * between 0 and 1 exclusive), before allocating anything.
 */
export function sparc(speed: ArrayLike<number>, fs: number, options: SparcOptions = {}): number {
  const padLevel = options.padLevel ?? 4;
  const fc = options.fc ?? 10;
  const th = options.ampThreshold ?? 0.05;
  if (!(Number.isInteger(padLevel) && padLevel >= 0 && padLevel <= 6))
    throw new ReachInputError('padLevel', `padLevel must be an integer 0-6, got ${padLevel}`);
  if (!(fc > 0 && Number.isFinite(fc)))
    throw new ReachInputError('fc', `fc must be a frequency above 0 Hz, got ${fc}`);
  if (!(th > 0 && th < 1))
    throw new ReachInputError('ampThreshold', `ampThreshold must be between 0 and 1, got ${th}`);
  const n = speed.length;
  if (n < 2 || !(fs > 0)) return NaN;
  const nfft = 2 ** (Math.ceil(Math.log2(n)) + padLevel);
  const re = new Float64Array(nfft);
  const im = new Float64Array(nfft);
  for (let i = 0; i < n; i++) re[i] = speed[i]!;
  fft(re, im);
  const half = nfft >> 1;
  const mag = new Float64Array(half + 1);
  let max = 0;
  for (let k = 0; k <= half; k++) {
    const m = Math.hypot(re[k]!, im[k]!);
    mag[k] = m;
    if (m > max) max = m;
  }
  if (!(max > 0) || !Number.isFinite(max)) return NaN;
  const df = fs / nfft;
  // A real signal's spectrum is symmetric, so bins above nfft/2 (only reachable if fc > fs/2)
  // mirror those below.
  const magAt = (k: number) => mag[k <= half ? k : nfft - k]! / max;
  let kMax = 0;
  while (kMax + 1 < nfft && (kMax + 1) * df <= fc) kMax++;
  let first = -1;
  let last = -1;
  for (let k = 0; k <= kMax; k++) {
    if (magAt(k) >= th) {
      if (first < 0) first = k;
      last = k;
    }
  }
  if (first < 0 || last === first) return 0;
  const width = last * df - first * df;
  let arc = 0;
  let prevF = first * df;
  let prevM = magAt(first);
  for (let k = first + 1; k <= last; k++) {
    const f = k * df;
    const m = magAt(k);
    const a = (f - prevF) / width;
    const b = m - prevM;
    arc += Math.sqrt(a * a + b * b);
    prevF = f;
    prevM = m;
  }
  return -arc;
}
