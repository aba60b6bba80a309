import type { StoredSetRating } from '../../../shared/protocol/rating';
import type { ChartColumns } from '../live/live-chart-data';

/**
 * Columns for the chart of the patient's ratings across sessions: x = when each set was rated
 * (Unix seconds, uPlot's time axis), then effort (Borg CR10) and pain (0-10); an answer not given
 * (or a skipped set) is a gap, never a zero.
 */
export function ratingColumns(ratings: readonly StoredSetRating[]): ChartColumns {
  const rows = ratings
    .map((r) => ({ t: Date.parse(r.ratedAt) / 1000, effort: r.effort, pain: r.pain }))
    .filter((r) => Number.isFinite(r.t))
    .sort((a, b) => a.t - b.t);
  return [rows.map((r) => r.t), rows.map((r) => r.effort), rows.map((r) => r.pain)];
}
