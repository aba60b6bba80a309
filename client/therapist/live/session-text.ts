import type { SessionEndReason } from '../../../shared/protocol/events';
import type {
  LiveSessionInfo,
  LiveState,
  SessionStatus,
  WorldMenuState,
} from '../../../shared/protocol/live';
import { worldText } from '../ui/world-text';

type PausedBy = NonNullable<LiveState['pausedBy']>;

// Every status reads as the start of a sentence, as the paused ones do: capitalised, no full stop.
const STATUS_TEXT: Record<SessionStatus, string> = {
  calibrating: 'Calibrating',
  instructions: 'Showing instructions',
  running: 'Running',
  rest: 'Resting',
  rating: 'Asking the patient for effort and pain',
  paused: 'Paused',
  ended: 'Ended',
};

/** An ended session and why, as the therapist reads it (reasons in shared/protocol/events.ts). */
const ENDED_TEXT: Record<SessionEndReason, string> = {
  plan_complete: 'Ended: plan complete',
  time_up: 'Ended: time up',
  patient: 'Ended by the patient',
  therapist: 'Ended by the therapist',
  abandoned: 'Ended: abandoned, the headset did not take it up again',
};

// A reason this version does not know (sent by a newer server) is shown as it came.
const endedText = (reason: string | null | undefined) =>
  !reason
    ? 'Ended'
    : Object.hasOwn(ENDED_TEXT, reason)
      ? ENDED_TEXT[reason as SessionEndReason]
      : `Ended: ${reason}`;

/** Who or what paused the session, as a sentence a physiotherapist reads. */
const PAUSED_TEXT: Record<PausedBy, string> = {
  therapist: 'Paused by you',
  patient: 'Paused by the patient',
  pain: 'Paused for pain',
  // The page was hidden (XR visibility `hidden`): the headset is off the patient's head.
  headset_removed: 'Paused: the headset was taken off',
  // XR visibility `visible-blurred` or the page hidden: the system menu, or the headset taken off.
  focus_lost: 'Paused: the headset lost focus (taken off or system menu)',
  // Resuming a session paused because its time is up ends it (shared/game/session/flow.ts).
  time_up: "Paused: the session's time is up (resuming ends it)",
};

/** The session in words: an ended session says so, never its last paused scene. */
export function sessionText(info: LiveSessionInfo | null): string {
  if (info === null) return '–';
  if (info.endedAt) return endedText(info.endReason);
  const state = info.state;
  if (state === null) return 'Starting';
  if (state.status === 'paused' && state.pausedBy) return PAUSED_TEXT[state.pausedBy];
  return STATUS_TEXT[state.status];
}

/** The headset's world menu, before the session starts, in words. */
export function worldMenuText(menu: WorldMenuState): string {
  if (menu.chosen === null)
    return (
      `The patient is choosing a world in the headset (${worldText(menu.fallback)} starts ` +
      `in ${menu.secondsLeft} s if they do not choose)`
    );
  return menu.chosenBy === 'patient'
    ? `The patient chose ${worldText(menu.chosen)}: the session starts in a moment`
    : `No world chosen in time: ${worldText(menu.chosen)} starts in a moment`;
}

/** What the mirror's status line says, and how it looks (`idle`, `stale`, `fresh`). */
export function mirrorStatus(
  info: LiveSessionInfo | null,
  choosingWorld: boolean,
  streamStale: boolean,
): { text: string; look: 'idle' | 'stale' | 'fresh' } {
  // The headset streams poses while the patient chooses a world, before its session starts.
  if (choosingWorld && (info === null || info.endedAt))
    return streamStale
      ? { text: 'No movement data for over 1 s', look: 'stale' }
      : { text: 'Live', look: 'fresh' };
  if (info === null) return { text: 'No session', look: 'idle' };
  // Over: no movement data is expected, so none is no warning.
  if (info.endedAt || info.state?.status === 'ended')
    return { text: 'Session ended', look: 'idle' };
  return streamStale
    ? { text: 'No movement data for over 1 s', look: 'stale' }
    : { text: 'Live', look: 'fresh' };
}
