import type { ReachFlag } from '../../../shared/clinical/kinematics/metrics';

/**
 * A measurement flag in the therapist's words (the feed shows these, not the code names): what
 * happened to the recording, so a missing or doubtful value can be read for what it is.
 */
export const FLAG_WORDS: Record<ReachFlag, string> = {
  anticipation: 'moved before the target',
  tracking_loss: 'tracking lost',
  too_short: 'too short to measure',
  truncated: 'still moving at the end',
  no_movement: 'no movement',
  dropped_samples: 'bad samples dropped',
  non_monotonic_time: 'timestamps out of order',
  head_unusable: 'head not tracked',
  filter_skipped: 'unfiltered',
  tracking_glitch: 'hand tracking jumped',
  head_glitch: 'head tracking jumped',
  time_discontinuity: 'clock jumped',
  time_in_ms: 'timestamps in ms',
  input_refused: 'recording refused',
};

/** The words of a flag; an unknown one (a newer headset) as its name without underscores. */
export const flagText = (flag: string): string =>
  (FLAG_WORDS as Record<string, string>)[flag] ?? flag.replaceAll('_', ' ');
