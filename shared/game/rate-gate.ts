/**
 * Paces a stream on the frame clock: on average `hz` sends a second, at most one per frame (so
 * never above the frame rate), and no burst to catch up after a stall.
 */
export interface RateGate {
  intervalS: number;
  nextAt: number;
}

/** Display times jitter by a fraction of a millisecond; a frame this early still counts as due. */
const EARLY_TOLERANCE_S = 0.002;

export const createRateGate = (hz: number): RateGate => ({ intervalS: 1 / hz, nextAt: -Infinity });

/** Whether the frame at `t` seconds sends; if so, schedules the next send. */
export function rateGateDue(gate: RateGate, t: number): boolean {
  if (t < gate.nextAt - EARLY_TOLERANCE_S) return false;
  const late = t - gate.nextAt > gate.intervalS;
  gate.nextAt = late ? t + gate.intervalS : gate.nextAt + gate.intervalS;
  return true;
}
