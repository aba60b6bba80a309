/**
 * A miss is gentle, never punishing: where the target was, a pale copy of it sinks a little and
 * fades out, slowly (no red, no flash, no buzz). Pure, so its curve is tested with exact values.
 */
export const MISS_FADE_S = 1.2;
/** How far the copy sinks, metres. */
export const MISS_SINK_M = 0.12;
/** The copy starts this opaque (the target itself is gone): a memory of it, not the target. */
const START_OPACITY = 0.5;

export interface MissFadeFrame {
  /** Metres below where the target was. */
  sink: number;
  /** 0 when over: hide it. */
  opacity: number;
  /** Of the target's radius. */
  scale: number;
}

/** The copy at `elapsed` seconds after the miss, written into `out` (allocates nothing). */
export function missFadeAt(elapsed: number, out: MissFadeFrame): MissFadeFrame {
  const t = Math.min(1, Math.max(0, elapsed / MISS_FADE_S));
  const ease = 1 - (1 - t) * (1 - t);
  out.sink = MISS_SINK_M * ease;
  out.opacity = START_OPACITY * (1 - t);
  out.scale = 1 - 0.3 * ease;
  return out;
}
