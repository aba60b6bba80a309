import type { ChartColumns } from '../live/live-chart-data';

/** One point per session: when it started and the value of one summary measure, null if unknown. */
export interface SessionPoint {
  startedAt: string;
  value: number | null;
}

/**
 * Columns for a progress chart across sessions: x in Unix seconds (uPlot's time axis), sorted by
 * start, sessions with an unparseable start dropped, values that are not finite turned into gaps.
 */
export function progressColumns(points: readonly SessionPoint[]): ChartColumns {
  const rows = points
    .map((p) => ({ t: Date.parse(p.startedAt) / 1000, value: p.value }))
    .filter((r) => Number.isFinite(r.t))
    .sort((a, b) => a.t - b.t);
  return [
    rows.map((r) => r.t),
    rows.map((r) => (r.value !== null && Number.isFinite(r.value) ? r.value : null)),
  ];
}

/** True when a chart would have nothing to draw, so the page can say so instead. */
export const hasValues = (columns: ChartColumns): boolean =>
  columns.slice(1).some((series) => series.some((v) => v !== null));
