import { z } from 'zod';
import { finite, type Vec3 } from '../types';
import { SPEC_VERSION } from '../version';
import { butter2Lowpass, filtfilt, FILTFILT_PAD } from './butterworth';
import { ReachInputError } from './errors';
import { gradient } from './gradient';
import { jerkStats, ldljFromStats } from './ldlj';
import { estimateRate, gridLength, resampleUniform } from './resample';
import {
  HAND_MAX_SPEED,
  HEAD_MAX_SPEED,
  screenJumps,
  screenTime,
  timeUnit,
  type TimeUnit,
} from './screen';
import { countSpeedPeaks, segmentMovement } from './segment';
import { sparc } from './sparc';

export type ReachInput = {
  /** Sample times, seconds. */
  t: number[];
  /** Hand positions, metres, world frame y-up. */
  hand: [number, number, number][];
  /** Head positions on the same clock (optional; for trunk compensation). */
  head?: [number, number, number][];
  /** Time the target appeared, seconds, same clock as t. */
  tGo: number;
  /** Target centre, metres. */
  target: [number, number, number];
  targetRadius?: number;
  /** Resampling rate, Hz; default round(1 / median dt). */
  fs?: number;
};

export type ReachAnalysisConfig = {
  onsetFraction: number;
  stillTime: number;
  /** Low-pass cut-off, Hz; 0 disables the filter. */
  filterHz: number;
  peakMinRise: number;
  peakMinSeparation: number;
  sparcPadLevel: number;
  sparcFc: number;
  sparcAmpThreshold: number;
};

export const DEFAULT_REACH_CONFIG: Readonly<ReachAnalysisConfig> = Object.freeze({
  onsetFraction: 0.05,
  stillTime: 0.1,
  filterHz: 6,
  peakMinRise: 0.02,
  peakMinSeparation: 0.15,
  sparcPadLevel: 4,
  sparcFc: 10,
  sparcAmpThreshold: 0.05,
});

/**
 * Flags: why a value is null or should be read with care.
 * - anticipation: reaction under 0.1 s, or already moving at the window start
 * - tracking_loss: a raw gap over 0.1 s inside the movement (smoothness suppressed)
 * - too_short: too few samples to filter or to measure smoothness
 * - truncated: still moving at the end of the window
 * - no_movement: peak speed below the movement-unit rise (0.02 m/s)
 * - dropped_samples: non-finite samples were removed (hand, head or time)
 * - non_monotonic_time: late, duplicated or stray timestamps were removed
 * - head_unusable: head samples missing, not one per hand sample, or not covering the movement
 *   (trunk measures null)
 * - filter_skipped: cut-off at or above Nyquist, data used unfiltered
 * - tracking_glitch: hand samples faster than HAND_MAX_SPEED from their neighbours were removed
 * - head_glitch: head samples faster than HEAD_MAX_SPEED were removed (hand measures untouched)
 * - time_discontinuity: the clock broke (gap or backward step over 0.5 s); only the piece on the
 *   target's clock was analysed
 * - time_in_ms: timestamps (and tGo) were recognised as milliseconds and converted to seconds
 * - input_refused: the samples or options were refused (set by callers that store the refusal,
 *   e.g. the game; the library itself answers with a ReachRefusal)
 */
export type ReachFlag =
  | 'anticipation'
  | 'tracking_loss'
  | 'too_short'
  | 'truncated'
  | 'no_movement'
  | 'dropped_samples'
  | 'non_monotonic_time'
  | 'head_unusable'
  | 'filter_skipped'
  | 'tracking_glitch'
  | 'head_glitch'
  | 'time_discontinuity'
  | 'time_in_ms'
  | 'input_refused';

const nullableMetric = finite.nullable();

/** The reach metrics, as computed, sent and stored (SI units, null = untrusted). */
export const reachMetricsSchema = z.object({
  reactionTime: nullableMetric,
  movementTime: nullableMetric,
  peakSpeed: nullableMetric,
  timeToPeakPct: nullableMetric,
  pathLength: nullableMetric,
  straightDistance: nullableMetric,
  pathRatio: nullableMetric,
  maxPerpDeviation: nullableMetric,
  speedPeaks: z.number().int().min(0).max(10_000).nullable(),
  sparc: nullableMetric,
  ldlj: nullableMetric,
  normalizedJerk: nullableMetric,
  meanJerk: nullableMetric,
  endpointError: nullableMetric,
  endpointAlong: nullableMetric,
  endpointPerp: nullableMetric,
  minDistanceToTarget: nullableMetric,
  trunkForward: nullableMetric,
  trunkMax: nullableMetric,
  trunkRatioPct: nullableMetric,
  iOnset: z.number().int().min(0).nullable(),
  iPeak: z.number().int().min(0).nullable(),
  iOffset: z.number().int().min(0).nullable(),
  flags: z.array(z.string().max(40)).max(20),
  specVersion: z.string().max(20),
});
export type ReachMetrics = z.infer<typeof reachMetricsSchema>;

/** Real-valued metric names (everything but indices, flags and version). */
export const reachMetricKeySchema = reachMetricsSchema
  .keyof()
  .exclude(['iOnset', 'iPeak', 'iOffset', 'flags', 'specVersion']);
export type ReachMetricKey = z.infer<typeof reachMetricKeySchema>;

/** Longest window analysed (about 37 min at 90 Hz): bounds the memory an absurd window can take. */
const MAX_GRID = 200_000;
const MIN_SEGMENT_SAMPLES = 5;

export function emptyMetrics(flags: string[] = []): ReachMetrics {
  return {
    reactionTime: null,
    movementTime: null,
    peakSpeed: null,
    timeToPeakPct: null,
    pathLength: null,
    straightDistance: null,
    pathRatio: null,
    maxPerpDeviation: null,
    speedPeaks: null,
    sparc: null,
    ldlj: null,
    normalizedJerk: null,
    meanJerk: null,
    endpointError: null,
    endpointAlong: null,
    endpointPerp: null,
    minDistanceToTarget: null,
    trunkForward: null,
    trunkMax: null,
    trunkRatioPct: null,
    iOnset: null,
    iPeak: null,
    iOffset: null,
    flags,
    specVersion: SPEC_VERSION,
  };
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** A refusal: which option or input is out of range, and a sentence saying what is accepted. */
export type ReachRefusal = { ok: false; field: string; message: string };
export type ReachAnalysis = { ok: true; metrics: ReachMetrics } | ReachRefusal;

type Range = { min: number; max: number; minOpen?: boolean; maxOpen?: boolean; integer?: boolean };
/** Accepted option ranges (documented in docs/clinical-core.md). */
export const REACH_CONFIG_RANGES: Readonly<Record<keyof ReachAnalysisConfig, Range>> =
  Object.freeze({
    onsetFraction: { min: 0, max: 1, minOpen: true, maxOpen: true },
    stillTime: { min: 0, max: 10 },
    filterHz: { min: 0, max: 100 },
    peakMinRise: { min: 0, max: 10 },
    peakMinSeparation: { min: 0, max: 10 },
    sparcPadLevel: { min: 0, max: 6, integer: true },
    sparcFc: { min: 0, max: 100, minOpen: true },
    sparcAmpThreshold: { min: 0, max: 1, minOpen: true, maxOpen: true },
  });
/** Accepted sampling rate when given, Hz. */
export const FS_RANGE = { min: 10, max: 1000 } as const;

function outOfRange(name: string, x: number, r: Range): string | null {
  const ok =
    Number.isFinite(x) &&
    (r.minOpen ? x > r.min : x >= r.min) &&
    (r.maxOpen ? x < r.max : x <= r.max) &&
    (!r.integer || Number.isInteger(x));
  if (ok) return null;
  const lo = r.minOpen ? `above ${r.min}` : `at least ${r.min}`;
  const hi = r.maxOpen ? `below ${r.max}` : `at most ${r.max}`;
  return `${name} must be ${r.integer ? 'an integer ' : 'a number '}${lo} and ${hi}, got ${x}`;
}

/** The full configuration, or a refusal naming the first option out of range. */
export function checkReachConfig(
  config?: Partial<ReachAnalysisConfig>,
): { ok: true; config: ReachAnalysisConfig } | ReachRefusal {
  const cfg: ReachAnalysisConfig = { ...DEFAULT_REACH_CONFIG };
  for (const key of Object.keys(REACH_CONFIG_RANGES) as (keyof ReachAnalysisConfig)[]) {
    const x = config?.[key];
    if (x === undefined) continue;
    const problem = outOfRange(key, x, REACH_CONFIG_RANGES[key]);
    if (problem) return { ok: false, field: key, message: problem };
    cfg[key] = x;
  }
  return { ok: true, config: cfg };
}

/**
 * Kinematic metrics of one reach (spec part B), or a refusal when an option is out of range, `fs`
 * is outside 10-1000 Hz, or the timestamps are neither seconds nor milliseconds. Never throws.
 */
export function analyzeReach(
  input: ReachInput,
  config?: Partial<ReachAnalysisConfig>,
): ReachAnalysis {
  const checked = checkReachConfig(config);
  if (!checked.ok) return checked;
  if (input.fs !== undefined) {
    const problem = outOfRange('fs', input.fs, FS_RANGE);
    if (problem) return { ok: false, field: 'fs', message: problem };
  }
  const unit = timeUnit(input.t ?? []);
  if (unit === null)
    return {
      ok: false,
      field: 't',
      message:
        'timestamps must be seconds (or milliseconds) sampled at 10-1000 Hz: ' +
        'the median interval between samples fits neither',
    };
  return { ok: true, metrics: measureReach(input, checked.config, unit) };
}

/**
 * Kinematic metrics of one reach (spec part B). Throws ReachInputError (before computing anything)
 * for what analyzeReach refuses; otherwise never throws and never returns NaN: a value that cannot
 * be trusted is null and a flag says why.
 */
export function computeReachMetrics(
  input: ReachInput,
  config?: Partial<ReachAnalysisConfig>,
): ReachMetrics {
  const result = analyzeReach(input, config);
  if (!result.ok) throw new ReachInputError(result.field, result.message);
  return result.metrics;
}

function measureReach(input: ReachInput, cfg: ReachAnalysisConfig, unit: TimeUnit): ReachMetrics {
  const flags: string[] = [];
  const flag = (f: ReachFlag) => {
    if (!flags.includes(f)) flags.push(f);
  };

  const target = input.target;
  if (!target || !target.every((v) => Number.isFinite(v))) return emptyMetrics(['too_short']);
  const hand = input.hand ?? [];
  let t = input.t ?? [];
  let tGo = input.tGo;
  if (unit === 'milliseconds') {
    flag('time_in_ms');
    t = t.map((x) => x / 1000);
    tGo /= 1000;
  }
  let head = input.head && input.head.length > 0 ? input.head : null;
  if (head && head.length !== t.length) {
    flag('head_unusable');
    head = null;
  }
  if (t.length > hand.length) t = t.slice(0, hand.length);

  // Screening (spec B.0): time once, then hand and head each on their own.
  let nonFiniteTime = 0;
  for (const x of t) if (!Number.isFinite(x)) nonFiniteTime++;
  const time = screenTime(t, tGo);
  if (time.nonMonotonic > 0) flag('non_monotonic_time');
  if (time.discontinuity) flag('time_discontinuity');
  const handScreen = screenJumps(time.kept, t, hand, HAND_MAX_SPEED);
  const headScreen = head ? screenJumps(time.kept, t, head, HEAD_MAX_SPEED) : null;
  if (nonFiniteTime > 0 || handScreen.nonFinite > 0 || (headScreen?.nonFinite ?? 0) > 0)
    flag('dropped_samples');
  if (handScreen.jumps > 0) flag('tracking_glitch');
  if (headScreen && headScreen.jumps > 0) flag('head_glitch');

  const nRaw = handScreen.kept.length;
  if (nRaw < 3) return emptyMetrics([...flags, 'too_short']);
  const raw = Float64Array.from(handScreen.kept, (i) => t[i]!);
  const handAxes = [0, 1, 2].map((a) => Float64Array.from(handScreen.kept, (i) => hand[i]![a]!));

  const fs = input.fs ?? estimateRate(raw);
  if (!(fs > 0) || !Number.isFinite(fs)) return emptyMetrics([...flags, 'too_short']);
  const t0 = raw[0]!;
  const m = gridLength(t0, raw[nRaw - 1]!, fs);
  if (m > MAX_GRID) return emptyMetrics([...flags, 'too_short']);

  const filterOn = cfg.filterHz > 0;
  if (m < 3 || (filterOn && m <= FILTFILT_PAD)) return emptyMetrics([...flags, 'too_short']);

  const axes = resampleUniform(raw, handAxes, fs, m);
  // The head is put on the hand's grid from its own samples; trunk() checks it covers the reach.
  let headRaw: Float64Array | null = null;
  if (head && headScreen && headScreen.kept.length >= 3) {
    const h = head;
    headRaw = Float64Array.from(headScreen.kept, (i) => t[i]!);
    const headAxes = [0, 1, 2].map((a) => Float64Array.from(headScreen.kept, (i) => h[i]![a]!));
    axes.push(...resampleUniform(headRaw, headAxes, fs, m, t0));
  } else if (head) flag('head_unusable');
  if (filterOn) {
    if (cfg.filterHz >= fs / 2) flag('filter_skipped');
    else {
      const bq = butter2Lowpass(cfg.filterHz, fs);
      const work = new Float64Array(m + 2 * FILTFILT_PAD);
      for (const a of axes) filtfilt(a, bq, a, work);
    }
  }
  const px = axes[0]!;
  const py = axes[1]!;
  const pz = axes[2]!;
  const vx = gradient(px, fs);
  const vy = gradient(py, fs);
  const vz = gradient(pz, fs);
  const speed = new Float64Array(m);
  for (let i = 0; i < m; i++)
    speed[i] = Math.sqrt(vx[i]! * vx[i]! + vy[i]! * vy[i]! + vz[i]! * vz[i]!);

  const [cx, cy, cz] = target;
  let minDist = Infinity;
  for (let i = 0; i < m; i++) {
    const dd = Math.hypot(px[i]! - cx, py[i]! - cy, pz[i]! - cz);
    if (dd < minDist) minDist = dd;
  }

  const out = emptyMetrics(flags);
  out.minDistanceToTarget = num(minDist);

  const seg = segmentMovement(speed, t0, fs, cfg.onsetFraction, cfg.stillTime);
  const peakSpeed = speed[seg.iPeak]!;
  if (!(peakSpeed >= cfg.peakMinRise)) {
    flag('no_movement');
    return out;
  }
  const { iOnset: on, iPeak: pk, iOffset: off } = seg;
  out.iOnset = on;
  out.iPeak = pk;
  out.iOffset = off;
  out.peakSpeed = peakSpeed;

  // Validity of the segment's ends decides which metrics can be trusted.
  const onsetKnown = !seg.startsMoving;
  const offsetKnown = !seg.truncated;
  if (seg.startsMoving) flag('anticipation');
  if (seg.truncated) flag('truncated');
  const rt = seg.tOnset - tGo;
  if (onsetKnown && Number.isFinite(rt)) {
    if (rt < 0.1) flag('anticipation');
    else out.reactionTime = rt;
  }
  const whole = onsetKnown && offsetKnown;
  const mt = seg.tOffset - seg.tOnset;
  if (whole && mt > 0) {
    out.movementTime = mt;
    out.timeToPeakPct = num((100 * (t0 + pk / fs - seg.tOnset)) / mt);
  }

  // Path geometry over the segment.
  let path = 0;
  for (let i = on + 1; i <= off; i++)
    path += Math.hypot(px[i]! - px[i - 1]!, py[i]! - py[i - 1]!, pz[i]! - pz[i - 1]!);
  const ux = px[off]! - px[on]!;
  const uy = py[off]! - py[on]!;
  const uz = pz[off]! - pz[on]!;
  const straight = Math.hypot(ux, uy, uz);
  let maxPerp = 0;
  if (straight > 0) {
    for (let i = on; i <= off; i++) {
      const wx = px[i]! - px[on]!;
      const wy = py[i]! - py[on]!;
      const wz = pz[i]! - pz[on]!;
      const along = (wx * ux + wy * uy + wz * uz) / straight;
      const perp2 = wx * wx + wy * wy + wz * wz - along * along;
      const perp = perp2 > 0 ? Math.sqrt(perp2) : 0;
      if (perp > maxPerp) maxPerp = perp;
    }
  }
  if (whole) {
    out.pathLength = path;
    out.straightDistance = straight;
    // Triangle inequality: >= 1 in exact arithmetic; rounding must not report 0.9999999999.
    out.pathRatio = straight > 1e-6 ? Math.max(1, path / straight) : null;
    out.maxPerpDeviation = straight > 1e-6 ? maxPerp : null;
    out.speedPeaks = countSpeedPeaks(speed, on, off, fs, cfg.peakMinRise, cfg.peakMinSeparation);
  }

  // Endpoint: where the hand stopped, in the frame of the intended reach.
  if (offsetKnown) {
    const ex = px[off]! - cx;
    const ey = py[off]! - cy;
    const ez = pz[off]! - cz;
    out.endpointError = Math.hypot(ex, ey, ez);
    const dx = cx - px[on]!;
    const dy = cy - py[on]!;
    const dz = cz - pz[on]!;
    const dn = Math.hypot(dx, dy, dz);
    if (dn > 1e-9) {
      const along = (ex * dx + ey * dy + ez * dz) / dn;
      out.endpointAlong = along;
      const rx = ex - (along * dx) / dn;
      const ry = ey - (along * dy) / dn;
      const rz = ez - (along * dz) / dn;
      out.endpointPerp = Math.hypot(rx, ry, rz);
    }
  }

  // Smoothness needs a whole, continuously tracked movement.
  const nSeg = off - on + 1;
  let smoothOk = whole;
  if (whole && nSeg < MIN_SEGMENT_SAMPLES) {
    flag('too_short');
    smoothOk = false;
  }
  if (whole && hasGapInside(raw, seg.tOnset, seg.tOffset, 0.1)) {
    flag('tracking_loss');
    smoothOk = false;
  }
  if (smoothOk) {
    const s = sparc(speed.subarray(on, off + 1), fs, {
      padLevel: cfg.sparcPadLevel,
      fc: cfg.sparcFc,
      ampThreshold: cfg.sparcAmpThreshold,
    });
    out.sparc = num(s);
    const js = jerkStats([vx, vy, vz], on, off, fs);
    out.ldlj = num(ldljFromStats(js));
    out.meanJerk = num(js.meanJerk);
    if (path > 0)
      out.normalizedJerk = num(
        Math.sqrt((0.5 * js.jerkIntegral * js.duration ** 5) / (path * path)),
      );
  }

  if (headRaw && whole) {
    // Trunk measures need head samples at both ends of the reach and no hole inside it.
    const covers =
      headRaw[0]! <= t0 + on / fs + 1e-9 &&
      headRaw[headRaw.length - 1]! >= t0 + off / fs - 1e-9 &&
      !hasGapInside(headRaw, seg.tOnset, seg.tOffset, 0.1);
    if (covers) trunk(out, axes, on, off, target);
    else flag('head_unusable');
  }
  return out;
}

function hasGapInside(raw: Float64Array, tOn: number, tOff: number, maxGap: number): boolean {
  for (let i = 1; i < raw.length; i++) {
    const a = raw[i - 1]!;
    const b = raw[i]!;
    if (b - a > maxGap && b > tOn && a < tOff) return true;
  }
  return false;
}

/**
 * Trunk compensation: stroke patients lean the trunk forward instead of extending the elbow
 * (Levin et al. 2002; Cirstea & Levin 2000), so forward head travel relative to the hand's is
 * reported. Forward = horizontal direction from the hand at onset to the target.
 */
function trunk(
  out: ReachMetrics,
  axes: Float64Array[],
  on: number,
  off: number,
  target: Vec3,
): void {
  const [px, , pz, hx, hy, hz] = axes as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  let fx = target[0] - px[on]!;
  let fz = target[2] - pz[on]!;
  const fn = Math.hypot(fx, fz);
  let maxNorm = 0;
  let maxFwd = -Infinity;
  for (let i = on; i <= off; i++) {
    const dx = hx[i]! - hx[on]!;
    const dy = hy[i]! - hy[on]!;
    const dz = hz[i]! - hz[on]!;
    const nrm = Math.hypot(dx, dy, dz);
    if (nrm > maxNorm) maxNorm = nrm;
    if (fn > 1e-9) {
      const fwd = (dx * fx + dz * fz) / fn;
      if (fwd > maxFwd) maxFwd = fwd;
    }
  }
  out.trunkMax = maxNorm;
  if (fn <= 1e-9) return;
  fx /= fn;
  fz /= fn;
  out.trunkForward = maxFwd;
  const handFwd = (px[off]! - px[on]!) * fx + (pz[off]! - pz[on]!) * fz;
  if (handFwd > 1e-6) out.trunkRatioPct = (100 * maxFwd) / handFwd;
}
