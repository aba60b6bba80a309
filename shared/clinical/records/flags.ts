import type { TrialRecord } from './types';

/**
 * Flags that say the tracking or the clock was bad in a trial. The screen removed the bad samples
 * (values still valid) or left the affected values empty; either way a clinic reading only the
 * session means should know it happened, so the FHIR export says how often.
 */
export const TRACKING_FLAGS: readonly string[] = Object.freeze([
  'tracking_glitch',
  'head_glitch',
  'tracking_loss',
  'time_discontinuity',
  'non_monotonic_time',
  'dropped_samples',
  'head_unusable',
  'input_refused',
]);

/**
 * One sentence on the session's tracking quality, e.g. "Tracking: 2 of 12 trials flagged
 * (tracking_glitch 2, time_discontinuity 1).", or null when no trial has a tracking flag.
 */
export function trackingQualityNote(
  trials: readonly Pick<TrialRecord, 'metrics' | 'flags'>[],
): string | null {
  const counts = new Map<string, number>();
  let flagged = 0;
  for (const t of trials) {
    const flags = new Set([...(t.metrics?.flags ?? []), ...(t.flags ?? [])]);
    const tracking = TRACKING_FLAGS.filter((f) => flags.has(f));
    if (tracking.length > 0) flagged++;
    for (const f of tracking) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  if (flagged === 0) return null;
  const detail = TRACKING_FLAGS.filter((f) => counts.has(f))
    .map((f) => `${f} ${counts.get(f)}`)
    .join(', ');
  return (
    `Tracking: ${flagged} of ${trials.length} trials flagged (${detail}); ` +
    'impossible samples were removed and untrustworthy values left out of the means.'
  );
}
