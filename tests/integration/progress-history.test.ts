import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import type { DeviceMe } from '../../shared/protocol/http';
import {
  api,
  connect,
  createPatient,
  makeTrial,
  pairDeviceToken,
  request,
  therapistWithToken,
  type TestSocket,
} from './helpers';

describe("the patient's progress history, sent to the headset with the plan", () => {
  let server: InProcessServer;
  let deviceToken: string;
  let device: TestSocket;

  beforeAll(async () => {
    server = await startInProcessServer();
    const token = await therapistWithToken(server, 'petra');
    const patientId = (await createPatient(server.url, token, 'PR-1')).id;
    deviceToken = await pairDeviceToken(server.url, token, patientId);
    device = await connect(server.url, deviceToken);
  });
  afterAll(async () => {
    device?.close();
    await server?.close();
  });

  const progress = async () => {
    const me = await api<DeviceMe>(server.url, 'GET', '/api/device/me', deviceToken);
    expect(me.status).toBe(200);
    return me.body.progress;
  };

  /** A session started then, with trials 1..n (every third a miss), ended for `reason` (or open). */
  async function played(startedAt: string, trials: number, reason: string | null) {
    const sessionId = randomUUID();
    await request(device, 'session:start', { sessionId, mode: 'home', startedAt });
    for (let n = 1; n <= trials; n++)
      expect(await request(device, 'trial:submit', makeTrial(sessionId, n))).toMatchObject({
        ok: true,
      });
    if (reason !== null)
      await request(device, 'session:end', {
        sessionId,
        endedAt: new Date(Date.parse(startedAt) + 600_000).toISOString(),
        reason,
      });
    return sessionId;
  }

  it('is empty before any session', async () => {
    expect(await progress()).toEqual({ completedSessions: 0, totalHits: 0, recent: [] });
  });

  it('counts completed sessions only, newest first, with hits and the longest run of hits', async () => {
    // hit hit miss hit hit: 4 hits, runs of 2
    const first = await played('2026-06-08T21:30:00.000Z', 5, 'plan_complete');
    // hit hit: stopped by the therapist, still completed
    const second = await played('2026-06-09T22:15:00.000Z', 2, 'therapist');
    // not completed: abandoned, no trial, still open
    await played('2026-06-10T08:00:00.000Z', 1, 'abandoned');
    await played('2026-06-10T09:00:00.000Z', 0, 'patient');
    await played('2026-06-10T10:00:00.000Z', 2, null);
    expect(await progress()).toEqual({
      completedSessions: 2,
      totalHits: 6,
      recent: [
        {
          sessionId: second,
          startedAt: '2026-06-09T22:15:00.000Z',
          trials: 2,
          hits: 2,
          bestStreak: 2,
        },
        {
          sessionId: first,
          startedAt: '2026-06-08T21:30:00.000Z',
          trials: 5,
          hits: 4,
          bestStreak: 2,
        },
      ],
    });
  });
});
