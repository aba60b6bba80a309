/** Changes smaller than this fraction of the earlier value read as steady, not as progress. */
export const TREND_TOLERANCE = 0.05;

export type TrendDirection = 'up' | 'down' | 'steady';

/**
 * Direction of a measure over recent sessions (oldest first): the mean of the newer half against
 * the mean of the older half, ignoring sessions without a value. Null below two values.
 */
export function trendDirection(values: readonly (number | null)[]): TrendDirection | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length < 2) return null;
  const half = Math.floor(known.length / 2);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const older = mean(known.slice(0, half));
  const newer = mean(known.slice(known.length - half));
  const tolerance = Math.max(Math.abs(older) * TREND_TOLERANCE, 1e-9);
  if (newer - older > tolerance) return 'up';
  if (older - newer > tolerance) return 'down';
  return 'steady';
}

export const TREND_ARROWS: Record<TrendDirection, string> = { up: '↑', down: '↓', steady: '→' };
