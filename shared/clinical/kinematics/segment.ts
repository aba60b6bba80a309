export type Segment = {
  iOnset: number;
  iPeak: number;
  iOffset: number;
  /** Threshold-crossing times, interpolated between the samples around the crossing. */
  tOnset: number;
  tOffset: number;
  /** Speed was already above threshold at the first sample. */
  startsMoving: boolean;
  /** Speed was still above threshold at the last sample. */
  truncated: boolean;
  threshold: number;
};

/**
 * Onset/offset at a fraction of peak speed. A dip below threshold shorter than `stillTime` is
 * treated as a pause between sub-movements, not the end of the reach, so corrective
 * sub-movements of impaired patients stay inside the movement they belong to.
 */
export function segmentMovement(
  speed: Float64Array,
  t0: number,
  fs: number,
  onsetFraction: number,
  stillTime: number,
): Segment {
  const n = speed.length;
  let iPeak = 0;
  for (let i = 1; i < n; i++) if (speed[i]! > speed[iPeak]!) iPeak = i;
  const thr = onsetFraction * speed[iPeak]!;
  const dt = 1 / fs;
  const tAt = (i: number) => t0 + i / fs;

  let on = iPeak;
  while (on > 0 && speed[on - 1]! >= thr) on--;
  const startsMoving = on === 0;
  let tOnset = tAt(on);
  if (on > 0) {
    const s0 = speed[on - 1]!;
    const s1 = speed[on]!;
    tOnset = tAt(on - 1) + ((thr - s0) / (s1 - s0)) * dt;
  }

  let off = iPeak;
  let truncated = false;
  for (;;) {
    while (off + 1 < n && speed[off + 1]! >= thr) off++;
    if (off + 1 >= n) {
      truncated = true;
      break;
    }
    let runEnd = off + 1;
    while (runEnd + 1 < n && speed[runEnd + 1]! < thr) runEnd++;
    // 1e-9: a run of exactly stillTime at a sampled rate must count as still.
    if (runEnd === n - 1 || (runEnd - (off + 1)) * dt >= stillTime - 1e-9) break;
    off = runEnd + 1;
  }
  let tOffset = tAt(off);
  if (!truncated) {
    const s0 = speed[off]!;
    const s1 = speed[off + 1]!;
    tOffset = tAt(off) + ((s0 - thr) / (s0 - s1)) * dt;
  }
  return {
    iOnset: on,
    iPeak,
    iOffset: off,
    tOnset,
    tOffset,
    startsMoving,
    truncated,
    threshold: thr,
  };
}

/**
 * Movement units: local maxima rising at least `minRise` above the lowest speed since the last
 * counted peak; peaks closer than `minSeparation` s are one unit (the higher kept), because
 * tracking noise and tremor make twin maxima that are not separate submovements.
 */
export function countSpeedPeaks(
  speed: Float64Array,
  from: number,
  to: number,
  fs: number,
  minRise: number,
  minSeparation: number,
): number {
  let count = 0;
  let lastIdx = -1;
  let lastVal = 0;
  let runMin = speed[from]!;
  for (let i = from + 1; i < to; i++) {
    const s = speed[i]!;
    if (s < runMin) runMin = s;
    if (!(s > speed[i - 1]! && s >= speed[i + 1]!)) continue;
    if (s - runMin < minRise) continue;
    if (lastIdx >= 0 && (i - lastIdx) / fs <= minSeparation + 1e-9) {
      if (s > lastVal) {
        lastIdx = i;
        lastVal = s;
        runMin = s;
      }
      continue;
    }
    count++;
    lastIdx = i;
    lastVal = s;
    runMin = s;
  }
  return Math.max(1, count);
}
