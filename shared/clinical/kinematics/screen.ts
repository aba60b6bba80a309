/**
 * Sample screening before any metric (spec part B, step 0): bad tracking is removed and flagged,
 * never turned into a number. Time is screened once for both streams; hand and head positions are
 * screened independently, so a bad head sample costs only the trunk measures.
 */

/** Fastest plausible hand speed, m/s. Fast healthy reaches peak near 2-3 m/s; a 1 m jump in one
 * 90 Hz frame is 90 m/s. */
export const HAND_MAX_SPEED = 5;
/** Fastest plausible head (headset) speed, m/s: the trunk moves slower than the hand. */
export const HEAD_MAX_SPEED = 3;
/** Distance always allowed between two samples, m: tracking noise and timestamp jitter at high
 * rates must not read as a jump. */
export const JUMP_TOLERANCE_M = 0.02;
/** A glitch is a run of at most this many implausible samples; a longer run is a relocation, and
 * the shorter side of it is removed. */
export const GLITCH_MAX_RUN = 7;
/** A forward gap or backward step in time longer than this (s) breaks the clock: the trial is split. */
export const MAX_TIME_GAP = 0.5;
/** Accepted median sample interval for timestamps in seconds (10 to 1000 Hz). */
export const SECONDS_DT_RANGE: readonly [number, number] = [0.001, 0.1];

export type TimeUnit = 'seconds' | 'milliseconds';

/**
 * Which unit the timestamps are in, from the median positive interval between finite samples:
 * seconds for 1-100 ms, milliseconds for 1-100 (ms) between samples; null when neither (the
 * caller refuses the input). 'seconds' when fewer than two usable timestamps.
 */
export function timeUnit(t: readonly number[]): TimeUnit | null {
  const all = new Float64Array(t.length);
  let count = 0;
  let prev = NaN;
  for (const x of t) {
    if (!Number.isFinite(x)) continue;
    if (x > prev) all[count++] = x - prev;
    prev = x;
  }
  if (count === 0) return 'seconds';
  const dts = all.subarray(0, count).sort();
  const mid = count >> 1;
  const med = count % 2 === 1 ? dts[mid]! : (dts[mid - 1]! + dts[mid]!) / 2;
  const [lo, hi] = SECONDS_DT_RANGE;
  if (med >= lo && med <= hi) return 'seconds';
  if (med >= lo * 1000 && med <= hi * 1000) return 'milliseconds';
  return null;
}

export type TimeScreen = {
  /** Indices into the input of the samples kept, times strictly increasing. */
  kept: number[];
  /** Late, duplicated or stray (ahead of their successor) timestamps removed. */
  nonMonotonic: number;
  /** The clock broke (a gap or backward step over MAX_TIME_GAP): only one piece is kept. */
  discontinuity: boolean;
};

/**
 * Screens timestamps. A sample at or before the last kept time is a late or re-sent packet; a
 * sample later than its successor while the successor follows the last kept time is a stray
 * timestamp: both are removed. A forward gap or a backward step over MAX_TIME_GAP breaks the
 * recording into pieces; the piece kept is the first that ends at or after tGo (the one on the
 * clock of the target's appearance), else the last; the others are discarded with the flag.
 */
export function screenTime(t: readonly number[], tGo: number): TimeScreen {
  const finite: number[] = [];
  for (let i = 0; i < t.length; i++) if (Number.isFinite(t[i])) finite.push(i);
  const pieces: number[][] = [[]];
  let nonMonotonic = 0;
  let last = -Infinity;
  for (let k = 0; k < finite.length; k++) {
    const i = finite[k]!;
    const ti = t[i]!;
    let piece = pieces[pieces.length - 1]!;
    if (ti <= last) {
      if (last - ti <= MAX_TIME_GAP) {
        nonMonotonic++;
        continue;
      }
      piece = [];
      pieces.push(piece);
    } else {
      const next = k + 1 < finite.length ? t[finite[k + 1]!]! : Infinity;
      if (next < ti && next > last) {
        nonMonotonic++;
        continue;
      }
      if (piece.length > 0 && ti - last > MAX_TIME_GAP) {
        piece = [];
        pieces.push(piece);
      }
    }
    piece.push(i);
    last = ti;
  }
  let chosen = pieces[pieces.length - 1]!;
  if (!Number.isFinite(tGo)) chosen = pieces[0]!;
  else
    for (const p of pieces)
      if (p.length > 0 && t[p[p.length - 1]!]! >= tGo) {
        chosen = p;
        break;
      }
  return { kept: chosen, nonMonotonic, discontinuity: pieces.length > 1 };
}

type P3 = readonly [number, number, number];

export type JumpScreen = {
  /** Indices (into the positions given) of the plausible samples, in order. */
  kept: number[];
  /** Samples with a non-finite coordinate. */
  nonFinite: number;
  /** Finite samples removed as physiologically impossible jumps. */
  jumps: number;
};

/**
 * Removes impossible jumps from one stream: keeps the longest chain of samples in which each is
 * within `maxSpeed * dt + JUMP_TOLERANCE_M` of the chain's previous sample, skipping at most
 * GLITCH_MAX_RUN samples in a row, and only samples that are that far from both chain samples
 * around them (a spike that comes back). Each sample's predecessor is the one giving the longest chain
 * (ties: the nearest); the chain kept is the longest (ties: the one ending first). Unlike a
 * greedy pass this also survives a glitch on the very first sample. O(n * GLITCH_MAX_RUN).
 *
 * `order` lists the sample indices to consider (times strictly increasing along it).
 */
export function screenJumps(
  order: readonly number[],
  t: readonly number[],
  pos: readonly (P3 | undefined)[],
  maxSpeed: number,
): JumpScreen {
  const idx: number[] = [];
  let nonFinite = 0;
  for (const i of order) {
    const p = pos[i];
    if (p && Number.isFinite(p[0]) && Number.isFinite(p[1]) && Number.isFinite(p[2])) idx.push(i);
    else nonFinite++;
  }
  const n = idx.length;
  // Samples a and b (positions in idx) could both be the hand's: no faster than maxSpeed apart.
  const plausible = (a: number, b: number) => {
    const p = pos[idx[a]!]!;
    const q = pos[idx[b]!]!;
    const dx = p[0] - q[0];
    const dy = p[1] - q[1];
    const dz = p[2] - q[2];
    const allowed = maxSpeed * Math.abs(t[idx[a]!]! - t[idx[b]!]!) + JUMP_TOLERANCE_M;
    return dx * dx + dy * dy + dz * dz <= allowed * allowed;
  };
  const len = new Int32Array(n);
  const prev = new Int32Array(n).fill(-1);
  let best = -1;
  for (let a = 0; a < n; a++) {
    len[a] = 1;
    for (let b = a - 1; b >= 0 && b >= a - 1 - GLITCH_MAX_RUN; b--) {
      if (len[b]! + 1 <= len[a]! || !plausible(a, b)) continue;
      // Only a spike away from both sides may be skipped: samples consistent with either side
      // are the hand, so a relocation (which never comes back) is not bridged as a fast move.
      let spikes = true;
      for (let k = b + 1; k < a && spikes; k++) spikes = !plausible(k, b) && !plausible(k, a);
      if (!spikes) continue;
      len[a] = len[b]! + 1;
      prev[a] = b;
    }
    if (best < 0 || len[a]! > len[best]!) best = a;
  }
  const chain: number[] = [];
  for (let a = best; a >= 0; a = prev[a]!) chain.push(idx[a]!);
  chain.reverse();
  return { kept: chain, nonFinite, jumps: n - chain.length };
}
