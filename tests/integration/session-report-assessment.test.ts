import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionPersonal, Workspace } from '../../shared/protocol';
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

const WORKSPACE: Workspace = {
  arm: 'right',
  posture: 'seated',
  shoulder: [0.2, 1.2, 0],
  reach: { forward: 0.55, outward: 0.4, up: 0.3, across: 0.2 },
  measuredAt: '2026-01-01T09:00:00.000Z',
};

/**
 * The session report's unusual trials say which were of the standard reach test: a reach of the
 * fixed test and one of the plan read differently (the test's target never adapts).
 */
describe('the session report marks the standard reach test’s trials', () => {
  let server: InProcessServer;
  let token: string;
  let device: TestSocket;

  beforeAll(async () => {
    server = await startInProcessServer();
    token = await therapistWithToken(server, 'rita');
    const patientId = (await createPatient(server.url, token, 'RA-1')).id;
    device = await connect(server.url, await pairDeviceToken(server.url, token, patientId));
    expect(await request(device, 'calibration:save', { right: WORKSPACE })).toMatchObject({
      ok: true,
    });
  });
  afterAll(async () => {
    device?.close();
    await server?.close();
  });

  it('flags of a test trial and of a plan trial, each with its kind', async () => {
    const submit = async (sessionId: string, n: number, movementTime: number, test = false) => {
      const trial = makeTrial(sessionId, n, 10);
      trial.metrics = { ...trial.metrics, movementTime };
      trial.assessment = test;
      if (test) trial.levelAfter = trial.levelBefore;
      expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
    };
    // A baseline of 20 comparable reaches (0.85 to 0.95 s) in an earlier session.
    const earlier = randomUUID();
    await request(device, 'session:start', {
      sessionId: earlier,
      mode: 'home',
      startedAt: '2026-01-05T10:00:00.000Z',
    });
    for (let n = 1; n <= 20; n++) await submit(earlier, n, [0.85, 0.87, 0.9, 0.93, 0.95][n % 5]!);

    const sessionId = randomUUID();
    await request(device, 'session:start', {
      sessionId,
      mode: 'home',
      startedAt: '2026-01-12T10:00:00.000Z',
    });
    await submit(sessionId, 1, 3, true);
    await submit(sessionId, 2, 0.9, true);
    await submit(sessionId, 3, 3.2);
    const report = await api<SessionPersonal>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}/personal`,
      token,
    );
    expect(report.status).toBe(200);
    expect(
      report.body.flags.map((f) => ({ trialNumber: f.trialNumber, assessment: f.assessment })),
    ).toEqual([
      { trialNumber: 1, assessment: true },
      { trialNumber: 3, assessment: false },
    ]);
  });
});
