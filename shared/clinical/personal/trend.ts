import { kendallVariance, median, Z_975 } from './stats';

/**
 * Where recovery is heading, per measure over sessions: the Theil-Sen slope (median of the
 * pairwise slopes, Sen 1968) with Sen's rank-based 95 % interval, and a projection 4 weeks past
 * the last session with that interval as a band, kept inside the measure's possible range.
 * Fewer than 5 sessions, or sessions spanning less than 14 days: no projection, and the reason.
 */
export const MIN_TREND_SESSIONS = 5;
export const MIN_TREND_SPAN_DAYS = 14;
export const PROJECTION_DAYS = 28;
const DAY_MS = 86_400_000;

export const TREND_MEASURES = {
  assessmentSuccess: {
    name: 'Standard reach test success',
    unit: '',
    min: 0,
    max: 1,
    percent: true,
  },
  assessmentMovementTime: {
    name: 'Standard reach test movement time',
    unit: 's',
    min: 0,
    max: Infinity,
    percent: false,
  },
  assessmentSparc: {
    name: 'Standard reach test smoothness (SPARC)',
    unit: '',
    min: -Infinity,
    max: 0,
    percent: false,
  },
  levelReached: { name: 'Difficulty level reached', unit: '', min: 0, max: 100, percent: false },
  workspaceReached: { name: 'Workspace reached', unit: 'm', min: 0, max: 1.5, percent: false },
} as const;
export type TrendMeasure = keyof typeof TREND_MEASURES;

export interface TheilSen {
  /** Per unit of x. */
  slope: number;
  low: number;
  high: number;
  /** The line passes through (median x, median y). */
  medianX: number;
  medianY: number;
  /** Pairs with different x (the slopes the median is taken over). */
  pairs: number;
}

/** The value at 1-based rank r of ascending `sorted`, linear between neighbours, r clamped to [1, n]. */
function atRank(sorted: readonly number[], r: number): number {
  const c = Math.min(sorted.length, Math.max(1, r));
  const lo = Math.floor(c);
  const hi = Math.ceil(c);
  return sorted[lo - 1]! + (c - lo) * (sorted[hi - 1]! - sorted[lo - 1]!);
}

/**
 * Theil-Sen over points (x ascending or not): slope = median of (y_j - y_i)/(x_j - x_i) over pairs
 * with x_i != x_j; 95 % interval (Gilbert 1987, 6.5): C = 1.96 sqrt(Var S) with Var S Kendall's
 * tie-corrected variance of the y values, M1 = (N - C)/2, M2 = (N + C)/2, lower = slope at rank
 * M1, upper = slope at rank M2 + 1 (ascending, interpolated, clamped to 1..N). Null with no pair.
 */
export function theilSen(xs: readonly number[], ys: readonly number[]): TheilSen | null {
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i++)
    for (let j = i + 1; j < xs.length; j++)
      if (xs[j] !== xs[i]) slopes.push((ys[j]! - ys[i]!) / (xs[j]! - xs[i]!));
  if (slopes.length === 0) return null;
  slopes.sort((a, b) => a - b);
  const n = slopes.length;
  const c = Z_975 * Math.sqrt(kendallVariance(ys));
  return {
    slope: median(slopes)!,
    low: atRank(slopes, (n - c) / 2),
    high: atRank(slopes, (n + c) / 2 + 1),
    medianX: median(xs)!,
    medianY: median(ys)!,
    pairs: n,
  };
}

export interface SessionValue {
  /** ISO time of the session's start. */
  date: string;
  value: number | null | undefined;
}

export interface Projection {
  date: string;
  value: number;
  low: number;
  high: number;
}

export type TrendReport =
  | {
      state: 'trend';
      measure: TrendMeasure;
      sessions: number;
      spanDays: number;
      /** Per week. */
      slope: number;
      slopeLow: number;
      slopeHigh: number;
      /** The sessions' values, oldest first. */
      points: { date: string; value: number }[];
      /** The fitted line at each session date and the projection, for the chart. */
      line: { date: string; value: number }[];
      projection: Projection;
      text: string;
    }
  | {
      state: 'not_enough_data';
      measure: TrendMeasure;
      sessions: number;
      spanDays: number;
      reason: string;
      text: string;
    };

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

function formatValue(measure: TrendMeasure, v: number): string {
  const m = TREND_MEASURES[measure];
  if (m.percent) return `${(v * 100).toFixed(0)} %`;
  if (measure === 'levelReached') return v.toFixed(0);
  return `${v.toFixed(2)}${m.unit ? ` ${m.unit}` : ''}`;
}
function formatSlope(measure: TrendMeasure, v: number): string {
  const m = TREND_MEASURES[measure];
  const sign = v > 0 ? '+' : '';
  if (m.percent) return `${sign}${(v * 100).toFixed(1)} points`;
  if (measure === 'levelReached') return `${sign}${v.toFixed(1)}`;
  return `${sign}${v.toFixed(3)}${m.unit ? ` ${m.unit}` : ''}`;
}

/**
 * The trend of one measure from its per-session values (sessions without a finite value or a
 * valid date are left out). x is days since the first kept session.
 */
export function recoveryTrend(measure: TrendMeasure, values: readonly SessionValue[]): TrendReport {
  const points = values
    .map((v) => ({ t: Date.parse(v.date), y: v.value }))
    .filter(
      (p): p is { t: number; y: number } =>
        Number.isFinite(p.t) && typeof p.y === 'number' && Number.isFinite(p.y),
    )
    .sort((a, b) => a.t - b.t);
  const first = points[0]?.t ?? 0;
  const spanDays = points.length === 0 ? 0 : (points[points.length - 1]!.t - first) / DAY_MS;
  const name = TREND_MEASURES[measure].name;
  const notEnough = (reason: string): TrendReport => ({
    state: 'not_enough_data',
    measure,
    sessions: points.length,
    spanDays,
    reason,
    text: `${name}: no projection yet: ${reason}.`,
  });
  if (points.length < MIN_TREND_SESSIONS)
    return notEnough(
      `${points.length} session${points.length === 1 ? '' : 's'} with a value; a projection needs at least ${MIN_TREND_SESSIONS} over at least ${MIN_TREND_SPAN_DAYS} days`,
    );
  if (spanDays < MIN_TREND_SPAN_DAYS)
    return notEnough(
      `the sessions span ${spanDays.toFixed(0)} days; a projection needs at least ${MIN_TREND_SPAN_DAYS}`,
    );
  const xs = points.map((p) => (p.t - first) / DAY_MS);
  const ys = points.map((p) => p.y);
  const fit = theilSen(xs, ys)!;
  const { min, max } = TREND_MEASURES[measure];
  const at = (x: number) => clamp(fit.medianY + fit.slope * (x - fit.medianX), min, max);
  const horizon = xs[xs.length - 1]! + PROJECTION_DAYS;
  const dx = horizon - fit.medianX;
  const a = fit.medianY + fit.low * dx;
  const b = fit.medianY + fit.high * dx;
  const projection: Projection = {
    date: new Date(first + horizon * DAY_MS).toISOString(),
    value: at(horizon),
    low: clamp(Math.min(a, b), min, max),
    high: clamp(Math.max(a, b), min, max),
  };
  const line = points.map((p, i) => ({ date: new Date(p.t).toISOString(), value: at(xs[i]!) }));
  line.push({ date: projection.date, value: projection.value });
  const week = (v: number) => v * 7;
  const text =
    `${name}: ${formatSlope(measure, week(fit.slope))} per week (95 % CI ${formatSlope(measure, week(fit.low))} to ${formatSlope(measure, week(fit.high))}; ` +
    `Theil-Sen slope with Sen's rank-based interval, ${points.length} sessions over ${spanDays.toFixed(0)} days). ` +
    `If this trend continues, in 4 weeks: ${formatValue(measure, projection.value)} (${formatValue(measure, projection.low)} to ${formatValue(measure, projection.high)}); ` +
    `the band shows the slope's uncertainty, not the session-to-session scatter.`;
  return {
    state: 'trend',
    measure,
    sessions: points.length,
    spanDays,
    slope: week(fit.slope),
    slopeLow: week(fit.low),
    slopeHigh: week(fit.high),
    points: points.map((p) => ({ date: new Date(p.t).toISOString(), value: p.y })),
    line,
    projection,
    text,
  };
}
