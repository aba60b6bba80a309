import type { TrialOutcome } from '../types';

export type TrialAttempt = {
  reached: boolean;
  /** Seconds from target appearance to first contact; null if never reached. */
  tContact: number | null;
  /** 1-based trial number, used only in the reason text. */
  trialNumber?: number;
};

/**
 * Hit if reached no later than the limit in force. A contact exactly at the limit is a hit; the
 * 1e-9 s slack absorbs the rounding of a limit computed as a power and then echoed back.
 */
export function classifyOutcome(attempt: TrialAttempt, timeLimit: number): TrialOutcome {
  const t = attempt.tContact;
  if (!attempt.reached || t === null || !Number.isFinite(t)) return 'miss_not_reached';
  return t <= timeLimit + 1e-9 ? 'hit' : 'miss_too_slow';
}
