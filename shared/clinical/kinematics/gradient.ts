/** numpy.gradient(f, 1/fs): central differences inside, first-order one-sided at both ends. */
export function gradient(
  f: Float64Array,
  fs: number,
  out: Float64Array = new Float64Array(f.length),
): Float64Array {
  const n = f.length;
  if (n < 2) {
    out.fill(0);
    return out;
  }
  out[0] = (f[1]! - f[0]!) * fs;
  out[n - 1] = (f[n - 1]! - f[n - 2]!) * fs;
  const half = fs / 2;
  for (let i = 1; i < n - 1; i++) out[i] = (f[i + 1]! - f[i - 1]!) * half;
  return out;
}
