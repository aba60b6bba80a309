import type { TrialResult } from '../../../shared/protocol/trial';

/** Success rate over the last ROLLING_WINDOW trials: long enough to be steady, short enough to move. */
export const ROLLING_WINDOW = 10;

/** uPlot's aligned columns: x values, then one series per metric with null for a gap. */
export type ChartColumns = [number[], ...(number | null)[][]];

/**
 * Columns for the live charts, one row per trial: trial number, rolling success rate (%), movement
 * time (s) and SPARC. Trials are sorted by number; a metric the core refused to trust stays a gap.
 */
export function liveChartColumns(trials: readonly TrialResult[]): ChartColumns {
  const sorted = [...trials].sort((a, b) => a.trialNumber - b.trialNumber);
  const x: number[] = [];
  const success: (number | null)[] = [];
  const movementTime: (number | null)[] = [];
  const sparc: (number | null)[] = [];
  let hitsInWindow = 0;
  sorted.forEach((trial, i) => {
    if (trial.outcome === 'hit') hitsInWindow++;
    const leaving = sorted[i - ROLLING_WINDOW];
    if (leaving !== undefined && leaving.outcome === 'hit') hitsInWindow--;
    const windowSize = Math.min(i + 1, ROLLING_WINDOW);
    x.push(trial.trialNumber);
    success.push(Math.round((hitsInWindow / windowSize) * 1000) / 10);
    movementTime.push(trial.metrics.movementTime);
    sparc.push(trial.metrics.sparc);
  });
  return [x, success, movementTime, sparc];
}
