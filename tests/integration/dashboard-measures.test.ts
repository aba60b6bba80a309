import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../shared/protocol';
import type { PatientListItem, SessionRecord } from '../../shared/protocol/http';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
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

const workspace = (forward: number): Workspace => ({
  arm: 'right',
  posture: 'seated',
  shoulder: [0.2, 1.2, 0],
  reach: { forward, outward: 0.4, up: 0.3, across: 0.2 },
  measuredAt: new Date().toISOString(),
});
/** Mean of forward, outward 0.4, up 0.3, across 0.2. */
const workspaceSize = (forward: number) => (forward + 0.4 + 0.3 + 0.2) / 4;

/**
 * A session the headset played, started `daysAgo` back, with one trial per movement time (after
 * a recalibration to that forward reach, when given); returns its id.
 */
async function playSession(
  device: TestSocket,
  daysAgo: number,
  movementTimes: number[],
  recalibrateTo: number | null = null,
): Promise<string> {
  const sessionId = randomUUID();
  const startedAt = new Date(Date.now() - daysAgo * 24 * 3600_000).toISOString();
  expect(await request(device, 'session:start', { sessionId, mode: 'live', startedAt })).toEqual({
    ok: true,
    data: { sessionId },
  });
  if (recalibrateTo !== null) {
    expect(
      await request(device, 'calibration:save', { right: workspace(recalibrateTo) }),
    ).toMatchObject({ ok: true });
  }
  for (const [i, movementTime] of movementTimes.entries()) {
    const trial = makeTrial(sessionId, i + 1, 10);
    trial.metrics = { ...trial.metrics, movementTime };
    expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
  }
  expect(
    await request(device, 'session:end', {
      sessionId,
      endedAt: new Date().toISOString(),
      reason: 'plan_complete',
    }),
  ).toMatchObject({ ok: true });
  return sessionId;
}

describe('dashboard measures: active minutes, reach workspace, movement-time trend', () => {
  let server: InProcessServer;
  let token: string;
  let patientId: string;
  let device: TestSocket;
  const sessionIds: string[] = [];

  const playAndRest = async (
    daysAgo: number,
    movementTimes: number[],
    recalibrateTo: number | null = null,
  ) => {
    sessionIds.push(await playSession(device, daysAgo, movementTimes, recalibrateTo));
    // Stays within the device's event budget (20/s), which all its sockets share.
    await new Promise((r) => setTimeout(r, 250));
  };

  beforeAll(async () => {
    server = await startInProcessServer();
    token = await therapistWithToken(server, 'greta');
    patientId = (await createPatient(server.url, token, 'M-1')).id;
    device = await connect(server.url, await pairDeviceToken(server.url, token, patientId));
    expect(await request(device, 'calibration:save', { right: workspace(0.5) })).toMatchObject({
      ok: true,
    });
    // 12 sessions, oldest first: movement times falling from session to session.
    for (let s = 0; s < 12; s++) {
      const daysAgo = 12 - s;
      const base = 2 - s * 0.1;
      await playAndRest(daysAgo, [base + 0.2, base, base - 0.2], s === 10 ? 0.7 : null);
    }
  });
  afterAll(async () => {
    device?.close();
    await server?.close();
  });

  it('gives each session its active minutes and the workspace it was played in', async () => {
    const list = await api<{ sessions: SessionRecord[] }>(
      server.url,
      'GET',
      `/api/patients/${patientId}/sessions`,
      token,
    );
    const byId = new Map(list.body.sessions.map((s) => [s.id, s]));
    // Three trials of 2 s each.
    expect(byId.get(sessionIds[0]!)!.summary.activeMinutes).toBeCloseTo(6 / 60, 10);
    // Calibrated before the first session; recalibrated during the 11th, which keeps the new one.
    expect(byId.get(sessionIds[0]!)!.summary.reachWorkspace).toBeCloseTo(workspaceSize(0.5), 10);
    expect(byId.get(sessionIds[9]!)!.summary.reachWorkspace).toBeCloseTo(workspaceSize(0.5), 10);
    expect(byId.get(sessionIds[10]!)!.summary.reachWorkspace).toBeCloseTo(workspaceSize(0.7), 10);
    expect(byId.get(sessionIds[11]!)!.summary.reachWorkspace).toBeCloseTo(workspaceSize(0.7), 10);
  });

  /** A patient whose headset played a session (one trial) `daysAgo` back for each entry. */
  const patientWithSessions = async (code: string, daysAgo: number[]) => {
    const patientId = (await createPatient(server.url, token, code)).id;
    const headset = await connect(server.url, await pairDeviceToken(server.url, token, patientId));
    const played: string[] = [];
    try {
      for (const ago of daysAgo) played.push(await playSession(headset, ago, [1.5]));
    } finally {
      headset.close();
    }
    return { patientId, sessionIds: played };
  };

  /** The list, and how many SQL statements answering it cost. */
  const listPatients = async () => {
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
    const one = await listPatients(); // M-1 alone so far

    expect(one.patients).toHaveLength(1);
    for (let i = 2; i <= 6; i++) await patientWithSessions(`Q-${i}`, [2, 1]);
    const six = await listPatients();
    expect(six.patients).toHaveLength(6);
    expect(six.queries).toBe(one.queries);
    expect(six.queries).toBeLessThanOrEqual(5);
  });

  it("shows each patient's newest ten sessions, oldest first, and counts this week's", async () => {
    // Twelve sessions: the two oldest fall out of the trend, the four oldest out of the week.
    const days = [20, 15, 10, 8, 6, 5, 4, 3, 2.5, 2, 1.5, 1];
    const played = await patientWithSessions('T-12', days);
    const quiet = (await createPatient(server.url, token, 'T-0')).id;
    const { patients } = await listPatients();
    const busy = patients.find((p) => p.id === played.patientId)!;
    expect(busy.trend.map((t) => t.sessionId)).toEqual(played.sessionIds.slice(2));
    expect(busy.lastSession?.id).toBe(played.sessionIds.at(-1));
    expect(busy.lastSession?.summary).toMatchObject({ trials: 1 });
    expect(busy.sessionsThisWeek).toBe(8);
    expect(busy.trend.every((t) => t.levelEnd === 22)).toBe(true);
    const empty = patients.find((p) => p.id === quiet)!;
    expect(empty).toMatchObject({ lastSession: null, sessionsThisWeek: 0, trend: [] });
    // Listed by code, as before.
    expect(patients.map((p) => p.code)).toEqual([...patients.map((p) => p.code)].sort());
  });
  it('lists patients with the last 10 sessions as trend points, median movement time included', async () => {
    const patient = (await listPatients()).patients.find((p) => p.id === patientId)!;
    expect(patient.trend.map((t) => t.sessionId)).toEqual(sessionIds.slice(2));
    patient.trend.forEach((point, i) => {
      expect(point.movementTimeMedian).toBeCloseTo(2 - (i + 2) * 0.1, 10);
    });
    expect(patient.lastSession?.id).toBe(sessionIds[11]);
    expect(patient.lastSession?.summary.activeMinutes).toBeCloseTo(6 / 60, 10);
    // Sessions 7..1 days ago are within the week (the 7-day-old one by a hair's breadth).
    expect(patient.sessionsThisWeek).toBeGreaterThanOrEqual(6);
    expect(patient.sessionsThisWeek).toBeLessThanOrEqual(7);
  });
});
