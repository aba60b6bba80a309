import { describe, expect, it } from 'vitest';
import { sessionText, worldMenuText } from '../../../client/therapist/live/session-text';
import { headsetStatusText } from '../../../client/therapist/state/connection-store';
import { makeLive } from './fixtures';

describe('the live status line in words', () => {
  const pausedByFocus = makeLive({ status: 'paused', pausedBy: 'focus_lost' });

  it('shows a running session and who paused it', () => {
    expect(sessionText(makeLive())).toBe('running');
    expect(sessionText(pausedByFocus)).toBe('paused (by focus lost)');
    expect(sessionText({ ...makeLive(), state: null })).toBe('starting');
    expect(sessionText(null)).toBe('–');
  });

  it('says an abandoned session ended, never its last paused scene', () => {
    const abandoned = {
      ...pausedByFocus,
      endedAt: '2026-01-01T10:05:00.000Z',
      endReason: 'abandoned',
    };
    expect(sessionText(abandoned)).toBe('ended (abandoned: the headset did not take it up again)');
    expect(headsetStatusText('connected', abandoned)).toBe('session ended');
  });

  it('says the patient is choosing a world before the session, and what was chosen', () => {
    const menu = { secondsLeft: 12, fallback: 'reef', chosen: null, chosenBy: null } as const;
    expect(worldMenuText(menu)).toBe(
      'the patient is choosing a world in the headset (Underwater reef starts in 12 s if they do not choose)',
    );
    expect(worldMenuText({ ...menu, chosen: 'lantern', chosenBy: 'patient' })).toBe(
      'the patient chose Lantern festival at dusk: the session starts in a moment',
    );
    expect(worldMenuText({ ...menu, secondsLeft: 0, chosen: 'reef', chosenBy: 'timeout' })).toBe(
      'no world chosen in time: Underwater reef starts in a moment',
    );
  });
});
