import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import {
  api,
  connect,
  createPatient,
  pairDeviceToken,
  request,
  startSession,
  therapistWithToken,
  type TestSocket,
} from './helpers';

describe('the world a session was played in', () => {
  let server: InProcessServer;
  let token: string;
  let patientId: string;
  let device: TestSocket;

  beforeAll(async () => {
    server = await startInProcessServer();
    token = await therapistWithToken(server, 'wanda');
    patientId = (await createPatient(server.url, token, 'W-1')).id;
    device = await connect(server.url, await pairDeviceToken(server.url, token, patientId));
  });
  afterAll(async () => {
    device?.close();
    await server?.close();
  });

  const start = (world: unknown, sessionId = randomUUID()) =>
    request(device, 'session:start', {
      sessionId,
      mode: 'live',
      startedAt: new Date().toISOString(),
      world,
    });

  it('reads back the world a session started in, in its record and in sessions.csv', async () => {
    const sessionId = randomUUID();
    expect(await start('lantern', sessionId)).toEqual({ ok: true, data: { sessionId } });
    const detail = await api<{ session: { id: string; world: string | null } }>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}`,
      token,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.session.world).toBe('lantern');

    // Sent again after a reload, in the plain room: the world it started in stands.
    expect(await start('plain', sessionId)).toMatchObject({ ok: true });
    const older = (await startSession(device)).sessionId;
    const list = await api<{ sessions: { id: string; world: string | null }[] }>(
      server.url,
      'GET',
      `/api/patients/${patientId}/sessions`,
      token,
    );
    expect(list.body.sessions.map((s) => [s.id, s.world])).toEqual([
      // newest first; a headset from before worlds names none
      [older, null],
      [sessionId, 'lantern'],
    ]);

    const csv = await api<string>(
      server.url,
      'GET',
      `/api/patients/${patientId}/sessions.csv`,
      token,
    );
    const lines = csv.body.trim().split(/\r?\n/);
    expect(lines[0]!.split(',').at(-1)).toBe('world');
    // oldest first
    expect(lines.slice(1).map((l) => l.split(',').at(-1))).toEqual(['lantern', '']);
  });

  it('refuses an unknown world with a clear error and records nothing', async () => {
    const sessionId = randomUUID();
    const answer = await start('mars', sessionId);
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', event: 'session:start' },
    });
    expect((answer as { error: { message: string } }).error.message).toMatch(/^world: /);
    const detail = await api(server.url, 'GET', `/api/sessions/${sessionId}`, token);
    expect(detail.status).toBe(404);
  });
});
