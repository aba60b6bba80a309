import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  cachedProfile,
  loadProfile,
  pairDevice,
  rememberSessionPlayed,
  sessionDelivered,
  unsentSessions,
} from '../../../client/patient/net/device-api';
import type { DeviceMe } from '../../../shared/protocol/http';
import type { PlayedSession, ProgressHistory } from '../../../shared/protocol/progress';
import { stubLocalStorage } from '../../support/memory-storage';

/**
 * The headset's cached progress history across an online start that comes before the outbox has
 * delivered the last session: the session played here stays counted (once) until the server's
 * own history holds it.
 */

const yesterday: PlayedSession = {
  sessionId: 'd0000000-0000-4000-8000-000000000001',
  startedAt: '2026-03-02T09:00:00.000Z',
  trials: 10,
  hits: 8,
  bestStreak: 5,
};
const today: PlayedSession = {
  sessionId: 'd0000000-0000-4000-8000-000000000002',
  startedAt: '2026-03-03T09:00:00.000Z',
  trials: 6,
  hits: 6,
  bestStreak: 6,
};

const historyOf = (...recent: PlayedSession[]): ProgressHistory => ({
  completedSessions: recent.length,
  totalHits: recent.reduce((n, s) => n + s.hits, 0),
  recent,
});

const me = (progress: ProgressHistory): DeviceMe => ({
  patient: { id: 'p1', label: 'P 1', affectedArm: 'right', posture: 'seated' },
  plan: null,
  calibration: {},
  difficulty: {},
  progress,
});

/** The server answers `GET /api/device/me` with this history (and `/api/pair` with a pairing). */
let serverHistory: ProgressHistory;

beforeEach(() => {
  stubLocalStorage();
  vi.stubGlobal('fetch', (url: string) =>
    Promise.resolve(
      url === '/api/pair'
        ? Response.json(
            { deviceToken: 'rd_other', patient: { id: 'p2', label: 'P 2' } },
            { status: 201 },
          )
        : Response.json(me(serverHistory)),
    ),
  );
  serverHistory = historyOf(yesterday);
});
afterEach(() => vi.unstubAllGlobals());

describe('the progress history a headset loads at an online start', () => {
  it('keeps the session the outbox has not delivered yet, counted once', async () => {
    await loadProfile('rd_token');
    rememberSessionPlayed(today);
    expect(unsentSessions()).toEqual([today]);

    // The next start: the server does not have today's session yet.
    const profile = await loadProfile('rd_token');
    expect(profile!.progress).toEqual({
      completedSessions: 2,
      totalHits: 14,
      recent: [today, yesterday],
    });
    // So is the copy kept for a start without network.
    expect(cachedProfile()!.progress).toEqual(profile!.progress);
    // And a start after that, still before delivery: still once.
    expect((await loadProfile('rd_token'))!.progress.completedSessions).toBe(2);

    // The server has it now: its figures stand, and nothing is left waiting.
    serverHistory = historyOf(today, yesterday);
    expect((await loadProfile('rd_token'))!.progress).toEqual(historyOf(today, yesterday));
    expect(unsentSessions()).toEqual([]);
  });

  it('forgets it once the outbox has delivered its end', async () => {
    await loadProfile('rd_token');
    rememberSessionPlayed(today);
    sessionDelivered(today.sessionId);
    expect(unsentSessions()).toEqual([]);
    // The session ended on the server as abandoned, or without a trial: the server's word stands.
    expect((await loadProfile('rd_token'))!.progress).toEqual(historyOf(yesterday));
  });

  it('a new pairing starts without the previous patient’s unsent sessions', async () => {
    await loadProfile('rd_token');
    rememberSessionPlayed(today);
    await pairDevice('123456');
    expect(unsentSessions()).toEqual([]);
  });

  it('a damaged list reads as none', async () => {
    localStorage.setItem('reach.unsentSessions', '[{"sessionId": 3}]');
    expect(unsentSessions()).toEqual([]);
    localStorage.setItem('reach.unsentSessions', '{');
    expect(unsentSessions()).toEqual([]);
    expect((await loadProfile('rd_token'))!.progress).toEqual(historyOf(yesterday));
  });

  it('a damaged cached profile reads as none', async () => {
    expect(cachedProfile()).toBeNull();
    localStorage.setItem('reach.deviceProfile', '{');
    expect(cachedProfile()).toBeNull();
    localStorage.setItem('reach.deviceProfile', JSON.stringify({ ...me(historyOf()), plan: 3 }));
    expect(cachedProfile()).toBeNull();
    await loadProfile('rd_token');
    expect(cachedProfile()).toEqual(me(historyOf(yesterday)));
  });
});
