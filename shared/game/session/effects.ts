import type { Arm, Calibration, Trial, Vec3 } from '../../protocol';
import type { ResumeSnapshot } from '../session-resume';
import type { SessionView } from './view';

export type SessionEndReason = 'plan_complete' | 'time_up' | 'patient' | 'therapist';

/** The patient's answer to the set-end prompt. */
export interface SetRating {
  /** 0-based index of the set over the whole session. */
  setIndex: number;
  arm: Arm;
  /** Borg CR10, 0..10 in steps of 0.5; null when not given. */
  effort: number | null;
  /** 0..10 integers; null when not given. */
  pain: number | null;
  /** Neither was given. */
  skipped: boolean;
  /** Wall clock, ms since the epoch. */
  at: number;
}

export type SoundName = 'contact' | 'success' | 'miss' | 'cue' | 'confirm';

/**
 * What the machine asks the world to do, in order. The adapter on the headset carries them out
 * (store, audio, speech, controllers, outbox); a test reads them as values.
 */
export type SessionEffect =
  /** The published state changed: these fields now have these values. */
  | { type: 'publish'; patch: Partial<SessionView> }
  /** A sound, in play space when it comes from somewhere (a target), else from nowhere in particular. */
  | { type: 'sound'; sound: SoundName; at: Vec3 | null }
  | { type: 'haptic'; arm: Arm; intensity: number; ms: number }
  | { type: 'speak'; text: string }
  | {
      type: 'session-started';
      payload: { sessionId: string; mode: 'live' | 'home'; startedAt: string };
    }
  | { type: 'record-trial'; trial: Trial }
  | {
      type: 'session-ended';
      payload: { sessionId: string; endedAt: string; reason: SessionEndReason };
    }
  | { type: 'calibration-saved'; calibration: Calibration }
  /** What a reloaded page needs to take the session up again (never after it ended). */
  | { type: 'progress'; snapshot: Omit<ResumeSnapshot, 'patientId'> }
  | { type: 'record-rating'; rating: SetRating }
  /** Re-anchor the play space on the head where it is now. */
  | { type: 'recenter' }
  /** The answer to a therapist's command: null when applied, else why not. */
  | { type: 'command-result'; error: string | null };
