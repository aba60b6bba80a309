import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLAN } from '../../shared/clinical';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import {
  api,
  connect,
  createPatient,
  makeTrial,
  pairDeviceToken,
  request,
  startSession,
  therapistWithToken,
  type TestSocket,
} from './helpers';

describe('history, exports and erasure', () => {
  let server: InProcessServer;
  let token: string;
  let patientId: string;
  let sessionId: string;
  let device: TestSocket;

  beforeAll(async () => {
    server = await startInProcessServer();
    token = await therapistWithToken(server, 'fritz');
    patientId = (await createPatient(server.url, token, 'R-7')).id;
    device = await connect(server.url, await pairDeviceToken(server.url, token, patientId));
    sessionId = (await startSession(device)).sessionId;
    for (let i = 1; i <= 3; i++) {
      expect(await request(device, 'trial:submit', makeTrial(sessionId, i))).toMatchObject({
        ok: true,
      });
    }
    expect(
      await request(device, 'session:end', {
        sessionId,
        endedAt: '2026-01-05T10:05:00.000Z',
        reason: 'plan_complete',
      }),
    ).toEqual({ ok: true, data: { sessionId } });
  });
  afterAll(async () => {
    device?.close();
    await server?.close();
  });

  it('stores a valid plan and refuses an invalid one', async () => {
    const ok = await api<{ plan: unknown }>(
      server.url,
      'PATCH',
      `/api/patients/${patientId}`,
      token,
      {
        plan: DEFAULT_PLAN,
      },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.plan).toEqual(DEFAULT_PLAN);
    const bad = await api(server.url, 'PATCH', `/api/patients/${patientId}`, token, {
      plan: { ...DEFAULT_PLAN, maxMinutes: 500 },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_payload' } } });
  });

  it('lists sessions with summaries', async () => {
    const list = await api<{ sessions: { id: string; endReason: string; summary: object }[] }>(
      server.url,
      'GET',
      `/api/patients/${patientId}/sessions`,
      token,
    );
    expect(list.body.sessions).toHaveLength(1);
    expect(list.body.sessions[0]).toMatchObject({
      id: sessionId,
      endReason: 'plan_complete',
      endedAt: '2026-01-05T10:05:00.000Z',
      // trial 3 is a miss (helpers: every third trial)
      summary: { trials: 3, hits: 2, successRate: 2 / 3, levelStart: 21, levelEnd: 24 },
    });
  });

  it('exports trials and sessions as CSV and the session as a FHIR bundle', async () => {
    const trials = await api<string>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}/trials.csv`,
      token,
    );
    expect(trials.status).toBe(200);
    const lines = trials.body.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('R-7');
    expect(lines[3]).toContain('miss_too_slow');
    // Each trial says what it was played with.
    const header = lines[0]!.trim().split(',');
    const inputColumn = header.indexOf('input_mode');
    expect(inputColumn).toBeGreaterThan(0);
    for (const line of lines.slice(1))
      expect(['controllers', 'hands']).toContain(
        line
          .trim()
          .split(',')
          .at(inputColumn - header.length),
      );

    const sessions = await api<string>(
      server.url,
      'GET',
      `/api/patients/${patientId}/sessions.csv`,
      token,
    );
    expect(sessions.status).toBe(200);
    expect(sessions.body.trim().split('\n')).toHaveLength(2);

    const fhir = await api<{
      resourceType: string;
      entry: { resource: Record<string, unknown> }[];
    }>(server.url, 'GET', `/api/sessions/${sessionId}/fhir`, token);
    expect(fhir.body.resourceType).toBe('Bundle');
    expect(fhir.body.entry.length).toBeGreaterThan(0);
    expect(fhir.body.entry[0]!.resource).toMatchObject({
      resourceType: 'Observation',
      status: 'final',
      subject: { identifier: { value: 'R-7' } },
    });
    // Every trial reaches the clinic's record, not only the session means.
    const perTrial = fhir.body.entry
      .map((e) => e.resource as { code: { coding: { code: string }[] }; id: string })
      .filter((r) => r.code.coding[0]!.code === 'reach-trial');
    expect(perTrial.map((r) => r.id)).toEqual(
      [1, 2, 3].map((n) => `${sessionId}-trial-${n}`.slice(0, 64)),
    );
  });

  it('exports everything held, then erases it all', async () => {
    const exported = await api<{
      patient: { code: string };
      sessions: { trials: { samples: { t: number[] } }[] }[];
    }>(server.url, 'GET', `/api/patients/${patientId}/export`, token);
    expect(exported.body.patient.code).toBe('R-7');
    expect(exported.body.sessions[0]!.trials).toHaveLength(3);
    expect(exported.body.sessions[0]!.trials[0]!.samples.t).toHaveLength(90);

    const disconnected = new Promise<string>((r) => device.once('disconnect', r));
    expect(await api(server.url, 'DELETE', `/api/patients/${patientId}`, token)).toEqual({
      status: 200,
      body: { erased: true },
    });
    expect(await disconnected).toBe('io server disconnect');
    expect((await api(server.url, 'GET', `/api/patients/${patientId}`, token)).status).toBe(404);
    expect((await api(server.url, 'GET', `/api/sessions/${sessionId}`, token)).status).toBe(404);
  });
});
