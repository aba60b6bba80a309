import { z } from 'zod';
import { reachMetricKeySchema, type ReachMetricKey, type ReachMetrics } from './kinematics/metrics';
import { METRIC_KEYS } from './metric-info';
import { finite, type TrialOutcome } from './types';

/** The fields of a trial the summary needs; a TrialRecord fits. */
export type SummaryTrial = {
  outcome: TrialOutcome;
  levelBefore: number;
  levelAfter: number;
  metrics: Partial<ReachMetrics> | null;
};

const count = z.number().int().min(0);

export const metricStatsSchema = z.object({
  /** Valid (non-null, finite) values. */
  n: count,
  mean: finite.nullable(),
  /** Sample SD (n - 1); null below 2 values. */
  sd: finite.nullable(),
  median: finite.nullable(),
});
export type MetricStats = z.infer<typeof metricStatsSchema>;

/** A session's counts and metric statistics, as computed and as the wire carries them. */
export const sessionSummarySchema = z.object({
  trials: count,
  hits: count,
  misses: count,
  missNotReached: count,
  missTooSlow: count,
  /** hits / trials, 0-1; null without trials. */
  successRate: finite.nullable(),
  levelStart: finite.nullable(),
  levelEnd: finite.nullable(),
  metrics: z.record(reachMetricKeySchema, metricStatsSchema),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

export function describe(values: readonly number[]): MetricStats {
  const n = values.length;
  if (n === 0) return { n: 0, mean: null, sd: null, median: null };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  const sorted = [...values].sort((a, b) => a - b);
  const mid = n >> 1;
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : null, median };
}

/**
 * Per-session counts and descriptive statistics. A metric's statistics use only trials where it
 * is valid (non-null), so a flagged trial lowers n instead of biasing the mean.
 */
export function summarizeSession(trials: readonly SummaryTrial[]): SessionSummary {
  let hits = 0;
  let missNotReached = 0;
  let missTooSlow = 0;
  const values = Object.fromEntries(METRIC_KEYS.map((k) => [k, [] as number[]])) as Record<
    ReachMetricKey,
    number[]
  >;
  for (const tr of trials) {
    if (tr.outcome === 'hit') hits++;
    else if (tr.outcome === 'miss_too_slow') missTooSlow++;
    else missNotReached++;
    const m = tr.metrics;
    if (!m) continue;
    for (const k of METRIC_KEYS) {
      const v = m[k];
      if (typeof v === 'number' && Number.isFinite(v)) values[k].push(v);
    }
  }
  const n = trials.length;
  const metrics = Object.fromEntries(METRIC_KEYS.map((k) => [k, describe(values[k])])) as Record<
    ReachMetricKey,
    MetricStats
  >;
  return {
    trials: n,
    hits,
    misses: n - hits,
    missNotReached,
    missTooSlow,
    successRate: n > 0 ? hits / n : null,
    levelStart: n > 0 ? trials[0]!.levelBefore : null,
    levelEnd: n > 0 ? trials[n - 1]!.levelAfter : null,
    metrics,
  };
}
