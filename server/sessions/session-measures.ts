import type { Calibration, TrialResult } from '../../shared/protocol';

type TimedTrial = Pick<TrialResult, 'startedAt' | 'endedAt'>;

/** Time spent in trials, in minutes: rests, pauses and instructions do not count. */
export function activeMinutes(trials: readonly TimedTrial[]): number {
  let ms = 0;
  for (const t of trials) {
    const span = Date.parse(t.endedAt) - Date.parse(t.startedAt);
    if (Number.isFinite(span) && span > 0) ms += span;
  }
  return ms / 60_000;
}

/** The middle movement time of the session's trials (seconds), ignoring untrusted values. */
export function medianMovementTime(
  trials: readonly { metrics: { movementTime: number | null } }[],
): number | null {
  const times = trials
    .map((t) => t.metrics.movementTime)
    .filter((v): v is number => v !== null && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (times.length === 0) return null;
  const mid = Math.floor(times.length / 2);
  return times.length % 2 === 1 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
}

/**
 * Size of the calibrated workspace in metres: the mean of the forward, outward, up and across
 * reach of the arms trained (all calibrated arms when no trial says which). Null uncalibrated.
 */
export function reachWorkspace(
  calibration: Calibration | null,
  arms: readonly ('left' | 'right')[],
): number | null {
  if (calibration === null) return null;
  const wanted = arms.length > 0 ? arms : (['left', 'right'] as const);
  const reaches = wanted.flatMap((arm) => {
    const workspace = calibration[arm];
    if (workspace === undefined) return [];
    const { forward, outward, up, across } = workspace.reach;
    return [(forward + outward + up + across) / 4];
  });
  if (reaches.length === 0) return null;
  return reaches.reduce((a, b) => a + b, 0) / reaches.length;
}
