import { describe, expect, it } from 'vitest';
import {
  mirrorStatus,
  sessionText,
  worldMenuText,
} from '../../../client/therapist/live/session-text';
import { headsetStatusText } from '../../../client/therapist/state/connection-store';
import type { LiveState } from '../../../shared/protocol/live';
import { makeLive } from './fixtures';

describe('the live status line in words', () => {
  const pausedByFocus = makeLive({ status: 'paused', pausedBy: 'focus_lost' });

  it('shows a running session and, in plain sentences, who or what paused it', () => {
    expect(sessionText(makeLive())).toBe('Running');
    const status = (status: LiveState['status']) => sessionText(makeLive({ status }));
    expect(
      (['calibrating', 'instructions', 'rest', 'rating', 'paused', 'ended'] as const).map(status),
    ).toEqual([
      'Calibrating',
      'Showing instructions',
      'Resting',
      'Asking the patient for effort and pain',
      'Paused',
      'Ended',
    ]);
    expect(sessionText(pausedByFocus)).toBe(
      'Paused: the headset lost focus (taken off or system menu)',
    );
    const pausedBy = (pausedBy: LiveState['pausedBy']) =>
      sessionText(makeLive({ status: 'paused', pausedBy }));
    expect(pausedBy('pain')).toBe('Paused for pain');
    expect(pausedBy('therapist')).toBe('Paused by you');
    expect(pausedBy('patient')).toBe('Paused by the patient');
    expect(pausedBy('headset_removed')).toBe('Paused: the headset was taken off');
    expect(pausedBy('time_up')).toBe("Paused: the session's time is up (resuming ends it)");
    expect(pausedBy(null)).toBe('Paused');
    expect(sessionText({ ...makeLive(), state: null })).toBe('Starting');
    expect(sessionText(null)).toBe('–');
  });

  it('says an abandoned session ended, never its last paused scene', () => {
    const abandoned = {
      ...pausedByFocus,
      endedAt: '2026-01-01T10:05:00.000Z',
      endReason: 'abandoned',
    };
    expect(sessionText(abandoned)).toBe('Ended: abandoned, the headset did not take it up again');
    expect(headsetStatusText('connected', abandoned)).toBe('session ended');
  });

  it('says why a session ended, each reason a sentence, an unknown one as it came', () => {
    const endedFor = (endReason: string | null) =>
      sessionText({ ...makeLive(), endedAt: '2026-01-01T10:05:00.000Z', endReason });
    expect(
      ['plan_complete', 'time_up', 'patient', 'therapist', null, 'lost_power', 'toString'].map(
        endedFor,
      ),
    ).toEqual([
      'Ended: plan complete',
      'Ended: time up',
      'Ended by the patient',
      'Ended by the therapist',
      'Ended',
      'Ended: lost_power',
      'Ended: toString',
    ]);
  });

  it('the mirror says a session that is over ended, never that its movement data stopped', () => {
    const endedOnServer = {
      ...makeLive(),
      deviceConnected: false,
      endedAt: '2026-01-01T10:05:00.000Z',
      endReason: 'therapist',
    };
    expect(mirrorStatus(endedOnServer, false, true)).toEqual({
      text: 'Session ended',
      look: 'idle',
    });
    expect(mirrorStatus(makeLive({ status: 'ended' }), false, true).text).toBe('Session ended');
    expect(mirrorStatus(makeLive(), false, true)).toEqual({
      text: 'No movement data for over 1 s',
      look: 'stale',
    });
    expect(mirrorStatus(makeLive(), false, false)).toEqual({ text: 'Live', look: 'fresh' });
    expect(mirrorStatus(null, false, true)).toEqual({ text: 'No session', look: 'idle' });
    // The next session's world menu after an ended one: its poses are live.
    expect(mirrorStatus(endedOnServer, true, false)).toEqual({ text: 'Live', look: 'fresh' });
    expect(mirrorStatus(null, true, true).look).toBe('stale');
  });

  it('says the patient is choosing a world before the session, and what was chosen', () => {
    const menu = { secondsLeft: 12, fallback: 'reef', chosen: null, chosenBy: null } as const;
    expect(worldMenuText(menu)).toBe(
      'The patient is choosing a world in the headset (Underwater reef starts in 12 s if they do not choose)',
    );
    expect(worldMenuText({ ...menu, chosen: 'lantern', chosenBy: 'patient' })).toBe(
      'The patient chose Lantern festival at dusk: the session starts in a moment',
    );
    expect(worldMenuText({ ...menu, secondsLeft: 0, chosen: 'reef', chosenBy: 'timeout' })).toBe(
      'No world chosen in time: Underwater reef starts in a moment',
    );
  });
});
