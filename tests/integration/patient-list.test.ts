import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientListItem } from '../../shared/protocol/http';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import {
  api,
  connect,
  createPatient,
  makeTrial,
  pairDeviceToken,
  request,
  therapistWithToken,
} from './helpers';

const DAY_MS = 24 * 3600_000;

describe('the patient list', () => {
  let server: InProcessServer;
  let token: string;

  beforeAll(async () => {
    server = await startInProcessServer();
    token = await therapistWithToken(server, 'lena');
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A patient whose headset played a session (one trial) `daysAgo` back for each entry. */
  const patientWithSessions = async (code: string, daysAgo: number[]) => {
    const patientId = (await createPatient(server.url, token, code)).id;
    const device = await connect(server.url, await pairDeviceToken(server.url, token, patientId));
    const sessionIds: string[] = [];
    try {
      for (const ago of daysAgo) {
        const sessionId = randomUUID();
        const startedAt = new Date(Date.now() - ago * DAY_MS).toISOString();
        await request(device, 'session:start', { sessionId, mode: 'home', startedAt });
        const trial = makeTrial(sessionId, 1, 10);
        expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
        expect(
          await request(device, 'session:end', {
            sessionId,
            endedAt: new Date(Date.now() - ago * DAY_MS + 60_000).toISOString(),
            reason: 'plan_complete',
          }),
        ).toMatchObject({ ok: true });
        sessionIds.push(sessionId);
      }
    } finally {
      device.close();
    }
    return { patientId, sessionIds };
  };

  /** The list, and how many SQL statements answering it cost. */
  const list = async () => {
    server.queries.length = 0;
    const answer = await api<{ patients: PatientListItem[] }>(
      server.url,
      'GET',
      '/api/patients',
      token,
    );
    expect(answer.status).toBe(200);
    return { patients: answer.body.patients, queries: server.queries.length };
  };

  it('costs the same few queries for one patient as for six (no query per patient)', async () => {
    await patientWithSessions('Q-1', [1]);
    const one = await list();
    expect(one.patients).toHaveLength(1);
    for (let i = 2; i <= 6; i++) await patientWithSessions(`Q-${i}`, [2, 1]);
    const six = await list();
    expect(six.patients).toHaveLength(6);
    expect(six.queries).toBe(one.queries);
    expect(six.queries).toBeLessThanOrEqual(5);
  });

  it("shows each patient's newest ten sessions, oldest first, and counts this week's", async () => {
    // Twelve sessions: the two oldest fall out of the trend, the four oldest out of the week.
    const days = [20, 15, 10, 8, 6, 5, 4, 3, 2.5, 2, 1.5, 1];
    const { patientId, sessionIds } = await patientWithSessions('T-12', days);
    const quiet = (await createPatient(server.url, token, 'T-0')).id;
    const { patients } = await list();
    const busy = patients.find((p) => p.id === patientId)!;
    expect(busy.trend.map((t) => t.sessionId)).toEqual(sessionIds.slice(2));
    expect(busy.lastSession?.id).toBe(sessionIds.at(-1));
    expect(busy.lastSession?.summary).toMatchObject({ trials: 1 });
    expect(busy.sessionsThisWeek).toBe(8);
    expect(busy.trend.every((t) => t.levelEnd === 22)).toBe(true);
    const empty = patients.find((p) => p.id === quiet)!;
    expect(empty).toMatchObject({ lastSession: null, sessionsThisWeek: 0, trend: [] });
    // Listed by code, as before.
    expect(patients.map((p) => p.code)).toEqual([...patients.map((p) => p.code)].sort());
  });
});
