/**
 * Small robust statistics for the personal core, each defined exactly so another implementation
 * gets the same numbers (docs/clinical-core.md, "Personalisation"). Inputs are plain arrays;
 * callers drop non-finite values first (`finiteValues`).
 */

/** The finite numbers of `values`, in order (null, undefined, NaN and infinities dropped). */
export function finiteValues(values: readonly (number | null | undefined)[]): number[] {
  const out: number[] = [];
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  return out;
}

const ascending = (a: number, b: number) => a - b;

/** Median (mean of the two middle values for an even count); null for no values. */
export function median(values: readonly number[]): number | null {
  return medianSorted([...values].sort(ascending));
}

/** The median of values already sorted ascending. */
export function medianSorted(sorted: ArrayLike<number>): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Weighted median: values sorted ascending with their weights, W the total weight; the first value
 * whose cumulative weight reaches W/2, or the mean of it and the next value when the cumulative
 * weight equals W/2 exactly (within 1e-12 W). With equal weights this is the ordinary median.
 * Null when there is no positive weight.
 */
export function weightedMedian(
  values: readonly number[],
  weights: readonly number[],
): number | null {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  let total = 0;
  for (const i of order) total += weights[i]!;
  if (!(total > 0)) return null;
  const half = total / 2;
  let cumulative = 0;
  for (let k = 0; k < order.length; k++) {
    cumulative += weights[order[k]!]!;
    if (Math.abs(cumulative - half) <= 1e-12 * total && k + 1 < order.length)
      return (values[order[k]!]! + values[order[k + 1]!]!) / 2;
    if (cumulative >= half) return values[order[k]!]!;
  }
  return values[order[order.length - 1]!]!;
}

/** Quantile by linear interpolation between order statistics (Hyndman & Fan type 7, R's default). */
export function quantile(values: readonly number[], q: number): number | null {
  return quantileSorted([...values].sort(ascending), q);
}

/** `quantile` of values already sorted ascending. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Kendall's S of a series against its order: sum over i < j of sign(x_j - x_i). */
export function kendallS(values: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < values.length; i++)
    for (let j = i + 1; j < values.length; j++) s += Math.sign(values[j]! - values[i]!);
  return s;
}

/**
 * Variance of Kendall's S under no trend, corrected for ties among the values:
 * [n(n-1)(2n+5) - sum over tie groups of t(t-1)(2t+5)] / 18 (Kendall 1975; Gilbert 1987, 16.4).
 */
export function kendallVariance(values: readonly number[]): number {
  const n = values.length;
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) ties += t * (t - 1) * (2 * t + 5);
  return (n * (n - 1) * (2 * n + 5) - ties) / 18;
}

/** z of the normal distribution with 97.5 % below: the two-sided 95 % critical value. */
export const Z_975 = 1.959963984540054;
