import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import {
  api,
  connect,
  createPatient,
  makeTrial,
  nextEvent,
  pairDeviceToken,
  request,
  sleep,
  startSession,
  therapistWithToken,
  type TestSocket,
} from './helpers';

type Loose = {
  emit(event: string, ...args: unknown[]): void;
  on(event: string, listener: (payload: { code: string; event?: string }) => void): void;
};

describe('bad input, unknown events and floods', () => {
  let server: InProcessServer;
  let device: TestSocket;
  let therapistToken: string;
  let sessionId: string;
  let patientId: string;

  beforeAll(async () => {
    server = await startInProcessServer();
    therapistToken = await therapistWithToken(server, 'dora');
    patientId = (await createPatient(server.url, therapistToken, 'X-1')).id;
    device = await connect(
      server.url,
      await pairDeviceToken(server.url, therapistToken, patientId),
    );
    sessionId = (await startSession(device)).sessionId;
  });
  afterAll(async () => {
    device?.close();
    await server?.close();
  });

  it.each([
    ['not an object', 'hello'],
    ['a missing field', { sessionId: 'x' }],
    [
      'NaN smuggled as a string',
      { ...makeTrial('00000000-0000-4000-8000-000000000000', 1), levelBefore: 'NaN' },
    ],
    [
      'an extra-long reason',
      { ...makeTrial('00000000-0000-4000-8000-000000000000', 1), reason: 'x'.repeat(5000) },
    ],
  ])('answers invalid_payload to a trial that is %s', async (_name, payload) => {
    expect(await request(device, 'trial:submit', payload)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', event: 'trial:submit' },
    });
  });

  it('answers unknown_event to an event nobody defined, with or without an ack', async () => {
    expect(await request(device, 'admin:dropTables', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_event' },
    });
    const error = nextEvent<{ code: string }>(device, 'server:error');
    (device as unknown as Loose).emit('whatever', 1, 2, 3);
    expect(await error).toMatchObject({ code: 'unknown_event', event: 'whatever' });
  });

  it('reports a malformed pose frame without an ack through server:error', async () => {
    const wrongLength = nextEvent<{ code: string }>(device, 'server:error');
    device.emit('pose:frame', Buffer.from([1, 0xff, 0, 0]).toString('base64'));
    expect(await wrongLength).toMatchObject({ code: 'invalid_payload', event: 'pose:frame' });
    const notBase64 = nextEvent<{ code: string }>(device, 'server:error');
    device.emit('pose:frame', 'not base64!');
    expect(await notBase64).toMatchObject({ code: 'invalid_payload', event: 'pose:frame' });
  });

  it('rate-limits a flood and keeps serving', async () => {
    const codes: string[] = [];
    (device as unknown as Loose).on('server:error', (e) => codes.push(e.code));
    const answers = await Promise.all(
      Array.from({ length: 80 }, () => request(device, 'patient:watch', { patientId: 'x' })),
    );
    const limited = answers.filter((a) => !a.ok && a.error.code === 'rate_limited').length;
    expect(limited).toBeGreaterThanOrEqual(30);
    await sleep(2100);
    expect(await request(device, 'trial:submit', makeTrial(sessionId, 1))).toMatchObject({
      ok: true,
    });
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
  });

  it('drops a connection that sends more than the message limit, and the server stays up', async () => {
    const big = makeTrial(sessionId, 2, 3600);
    (big as { reason: string }).reason = 'y'.repeat(900);
    const huge = { ...big, padding: 'z'.repeat(1_100_000) };
    const other = await connect(server.url, (device.auth as { token: string }).token);
    const closed = new Promise<string>((r) => other.once('disconnect', r));
    (other as unknown as Loose).emit('trial:submit', huge, () => undefined);
    expect(await closed).toBe('transport close');
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
  });

  it('answers bad HTTP bodies with typed errors', async () => {
    const garbage = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toEqual({
      error: { code: 'invalid_payload', message: 'body is not valid JSON' },
    });
    const badPatient = await api(server.url, 'POST', '/api/patients', therapistToken, {
      code: 'Jane Doe',
      label: 'x',
      affectedArm: 'right',
      posture: 'seated',
    });
    expect(badPatient).toMatchObject({ status: 400, body: { error: { code: 'invalid_payload' } } });
    expect((await api(server.url, 'GET', '/api/nothing-here', therapistToken)).status).toBe(404);
  });

  it('refuses a plan outside the clinical limits, naming the field, and stores nothing', async () => {
    const plan = {
      tasks: [{ task: 'touch', sets: 1, repetitions: 5 }],
      restSeconds: 0,
      maxMinutes: 10,
      arm: 'right',
      difficulty: {
        targetSuccess: 0.75,
        gain: 8,
        minLevel: 0,
        maxLevel: 100,
        // beyond the patient's calibrated reach
        distance: { easy: 0.4, hard: 1.4 },
        radius: { easy: 0.08, hard: 0.02 },
        timeLimit: { easy: 6, hard: 1.5 },
        spread: { easy: 20, hard: 120 },
      },
    };
    const refused = await api<{ error: { code: string; message: string } }>(
      server.url,
      'PATCH',
      `/api/patients/${patientId}`,
      therapistToken,
      { plan },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('invalid_payload');
    expect(refused.body.error.message).toMatch(/^plan\.difficulty\.\w+\.distance\.hard: /);
    expect(refused.body.error.message).toContain('never beyond');
    const valid = { ...plan.difficulty, distance: { easy: 0.4, hard: 0.95 } };
    const perArm = {
      ...plan,
      difficulty: { left: { ...valid, timeLimit: { easy: 60, hard: 2 } }, right: valid },
    };
    const refusedLeft = await api<{ error: { message: string } }>(
      server.url,
      'PATCH',
      `/api/patients/${patientId}`,
      therapistToken,
      { plan: perArm },
    );
    expect(refusedLeft.status).toBe(400);
    expect(refusedLeft.body.error.message).toMatch(/^plan\.difficulty\.left\.timeLimit\.easy: /);
    const stored = await api<{ plan: unknown }>(
      server.url,
      'GET',
      `/api/patients/${patientId}`,
      therapistToken,
    );
    expect(stored.body.plan).toBeNull();
  });
});
