import type { ChartColumns } from '../live/live-chart-data';

/** One point per session: when it started and the value of one summary measure, null if unknown. */
export interface SessionPoint {
  startedAt: string;
  value: number | null;
}

/** True when a chart would have nothing to draw, so the page can say so instead. */
export const hasValues = (columns: ChartColumns): boolean =>
  columns.slice(1).some((series) => series.some((v) => v !== null));

/** A point in time (Unix seconds) and a value, for series whose points are not sessions. */
export interface TimedPoint {
  t: number;
  value: number | null;
}

/**
 * Columns for a chart of several series on one time axis: x is every time any series has a
 * point (sorted, unique), each series null where it has no point there (uPlot then spans the gap).
 */
export function multiSeriesColumns(series: readonly (readonly TimedPoint[])[]): ChartColumns {
  const xs = [
    ...new Set(series.flatMap((points) => points.map((p) => p.t)).filter(Number.isFinite)),
  ].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns: (number | null)[][] = series.map(() => xs.map(() => null));
  series.forEach((points, s) => {
    for (const p of points) {
      const i = index.get(p.t);
      if (i !== undefined && p.value !== null && Number.isFinite(p.value)) columns[s]![i] = p.value;
    }
  });
  return [xs, ...columns] as ChartColumns;
}

/** Session points on the time axis (Unix seconds); sessions with an unparseable start dropped. */
export const timed = (points: readonly SessionPoint[]): TimedPoint[] =>
  points.map((p) => ({ t: Date.parse(p.startedAt) / 1000, value: p.value }));

/** A calendar day (YYYY-MM-DD) at its noon UTC, so a day never slips to the one before. */
export const dayToSeconds = (day: string): number => Date.parse(`${day}T12:00:00Z`) / 1000;

/** One x range for every chart of a page (padded by a day), so their time axes line up. */
export function sharedTimeRange(times: readonly number[]): [number, number] | undefined {
  const finite = times.filter(Number.isFinite);
  if (finite.length === 0) return undefined;
  return [Math.min(...finite) - 86_400, Math.max(...finite) + 86_400];
}
