/**
 * Natural cubic spline through (x_i, y_i), evaluated at sorted points xs. The tridiagonal system
 * depends only on x, so it is factored once and solved for every axis (hand x/y/z, head x/y/z).
 * A spline, not linear interpolation: straight segments across a dropped frame put spikes in the
 * third derivative that jerk-based measures would report as a clumsy movement.
 */
export function splineResample(
  x: Float64Array,
  ys: readonly Float64Array[],
  xs: Float64Array,
): Float64Array[] {
  const n = x.length;
  const m = xs.length;
  const outs = ys.map(() => new Float64Array(m));
  if (n === 0) return outs;
  if (n === 1) {
    for (let a = 0; a < ys.length; a++) outs[a]!.fill(ys[a]![0]!);
    return outs;
  }
  const h = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) h[i] = x[i + 1]! - x[i]!;
  // Thomas algorithm forward factors for the interior equations; M_0 = M_{n-1} = 0 (natural).
  const cp = new Float64Array(n);
  const denom = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) {
    const diag = 2 * (h[i - 1]! + h[i]!) - h[i - 1]! * cp[i - 1]!;
    denom[i] = diag;
    cp[i] = h[i]! / diag;
  }
  const M = new Float64Array(n);
  const dp = new Float64Array(n);
  for (let a = 0; a < ys.length; a++) {
    const y = ys[a]!;
    const out = outs[a]!;
    for (let i = 1; i < n - 1; i++) {
      const rhs = 6 * ((y[i + 1]! - y[i]!) / h[i]! - (y[i]! - y[i - 1]!) / h[i - 1]!);
      dp[i] = (rhs - h[i - 1]! * dp[i - 1]!) / denom[i]!;
    }
    M[n - 1] = 0;
    for (let i = n - 2; i >= 1; i--) M[i] = dp[i]! - cp[i]! * M[i + 1]!;
    M[0] = 0;
    let j = 0;
    for (let k = 0; k < m; k++) {
      const t = xs[k]!;
      while (j < n - 2 && t > x[j + 1]!) j++;
      const hj = h[j]!;
      const A = x[j + 1]! - t;
      const B = t - x[j]!;
      out[k] =
        (M[j]! * A * A * A + M[j + 1]! * B * B * B) / (6 * hj) +
        (y[j]! / hj - (M[j]! * hj) / 6) * A +
        (y[j + 1]! / hj - (M[j + 1]! * hj) / 6) * B;
    }
  }
  return outs;
}
