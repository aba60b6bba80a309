import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPoseFrame,
  encodePoseFrame,
  MAX_POSE_FRAME_BYTES,
  poseFrameToBase64,
} from '../../shared/protocol';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import {
  api,
  connect,
  createPatient,
  makeState,
  makeTrial,
  nextEvent,
  pairDeviceToken,
  request,
  sleep,
  startSession,
  therapistWithToken,
  type TestSocket,
} from './helpers';

/**
 * Two clinics' worth of actors: therapist A with patient A (and A's headset), therapist B with
 * patient B (and B's headset). Everyone is refused everything that is not theirs.
 */
describe('access rules', () => {
  let server: InProcessServer;
  const tokens = { therapistA: '', therapistB: '', deviceA: '', deviceB: '' };
  const sockets: Record<keyof typeof tokens, TestSocket> = {} as never;
  let patientA = '';
  let sessionA = '';
  let trialA = makeTrial(randomUUID(), 1);

  beforeAll(async () => {
    server = await startInProcessServer();
    tokens.therapistA = await therapistWithToken(server, 'therapist-a');
    tokens.therapistB = await therapistWithToken(server, 'therapist-b');
    patientA = (await createPatient(server.url, tokens.therapistA, 'A-1')).id;
    const patientB = (await createPatient(server.url, tokens.therapistB, 'B-1')).id;
    tokens.deviceA = await pairDeviceToken(server.url, tokens.therapistA, patientA);
    tokens.deviceB = await pairDeviceToken(server.url, tokens.therapistB, patientB);
    for (const key of Object.keys(tokens) as (keyof typeof tokens)[]) {
      sockets[key] = await connect(server.url, tokens[key]);
    }
    sessionA = (await startSession(sockets.deviceA)).sessionId;
    trialA = makeTrial(sessionA, 1);
    expect(await request(sockets.deviceA, 'trial:submit', trialA)).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    for (const s of Object.values(sockets)) s?.close();
    await server?.close();
  });

  const resolvePath = (template: string) =>
    template.replace(':patient', patientA).replace(':session', sessionA);

  type Case = [actor: keyof typeof tokens, event: string, payload: () => unknown, code: string];
  const cases: Case[] = [
    // Another therapist cannot watch, unwatch-and-spy or control patient A.
    ['therapistB', 'patient:watch', () => ({ patientId: patientA }), 'forbidden'],
    [
      'therapistB',
      'control:send',
      () => ({ sessionId: sessionA, commandId: randomUUID(), command: { type: 'pause' } }),
      'forbidden',
    ],
    // Another patient's headset cannot touch A's session or trials.
    [
      'deviceB',
      'session:end',
      () => ({ sessionId: sessionA, endedAt: new Date().toISOString(), reason: 'patient' }),
      'forbidden',
    ],
    ['deviceB', 'trial:submit', () => makeTrial(sessionA, 2), 'forbidden'],
    ['deviceB', 'trial:submit', () => ({ ...trialA, sessionId: sessionA }), 'forbidden'],
    [
      'deviceB',
      'session:start',
      () => ({ sessionId: sessionA, mode: 'live', startedAt: new Date().toISOString() }),
      'forbidden',
    ],
    // A headset may not use the therapist's events, a therapist not the headset's.
    ['deviceA', 'patient:watch', () => ({ patientId: patientA }), 'forbidden'],
    ['deviceA', 'patient:unwatch', () => ({ patientId: patientA }), 'forbidden'],
    [
      'deviceA',
      'control:send',
      () => ({ sessionId: sessionA, commandId: randomUUID(), command: { type: 'pause' } }),
      'forbidden',
    ],
    [
      'therapistA',
      'session:start',
      () => ({ sessionId: randomUUID(), mode: 'live', startedAt: new Date().toISOString() }),
      'forbidden',
    ],
    [
      'therapistA',
      'session:end',
      () => ({ sessionId: sessionA, endedAt: new Date().toISOString(), reason: 'therapist' }),
      'forbidden',
    ],
    ['therapistA', 'trial:submit', () => makeTrial(sessionA, 3), 'forbidden'],
    ['therapistA', 'calibration:save', () => ({}), 'forbidden'],
  ];

  it.each(cases)('%s sending %s is refused', async (actor, event, payload, code) => {
    expect(await request(sockets[actor], event, payload())).toMatchObject({
      ok: false,
      error: { code, event },
    });
  });

  it.each([
    ['deviceB', 'session:state', () => makeState(sessionA), 'forbidden'],
    ['therapistA', 'session:state', () => makeState(sessionA), 'forbidden'],
    ['therapistA', 'pose:frame', () => Buffer.alloc(8).toString('base64'), 'forbidden'],
  ] as Case[])(
    '%s sending %s (no answer) gets server:error',
    async (actor, event, payload, code) => {
      const error = nextEvent<{ code: string; event: string }>(sockets[actor], 'server:error');
      (sockets[actor] as unknown as { emit(e: string, p: unknown): void }).emit(event, payload());
      expect(await error).toMatchObject({ code, event });
    },
  );

  it('refuses a session the headset recorded for another patient, and files nothing', async () => {
    // A headset paired to A recorded this session offline, then was re-paired to B.
    const recordedForA = randomUUID();
    const answer = await request(sockets.deviceB, 'session:start', {
      sessionId: recordedForA,
      mode: 'home',
      startedAt: new Date().toISOString(),
      patientId: patientA,
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    for (const token of [tokens.therapistA, tokens.therapistB]) {
      expect((await api(server.url, 'GET', `/api/sessions/${recordedForA}`, token)).status).toBe(
        404,
      );
    }
  });

  it("does not relay one patient's poses or trials to another therapist", async () => {
    expect(
      await request(sockets.therapistA, 'patient:watch', { patientId: patientA }),
    ).toMatchObject({
      ok: true,
    });
    const leaked: string[] = [];
    for (const e of ['live:pose', 'live:trial', 'live:session']) {
      (sockets.therapistB as unknown as { on(e: string, l: () => void): void }).on(e, () =>
        leaked.push(e),
      );
    }
    const frame = createPoseFrame();
    frame.present.head = true;
    const out = new Uint8Array(MAX_POSE_FRAME_BYTES);
    const text = poseFrameToBase64(out, encodePoseFrame(frame, new DataView(out.buffer)));
    const seen = nextEvent(sockets.therapistA, 'live:pose');
    sockets.deviceA.emit('pose:frame', text);
    await seen;
    expect(await request(sockets.deviceA, 'trial:submit', makeTrial(sessionA, 4))).toMatchObject({
      ok: true,
    });
    await sleep(200);
    expect(leaked).toEqual([]);
  });

  it.each([
    ['GET', '/api/patients/:patient'],
    ['PATCH', '/api/patients/:patient'],
    ['DELETE', '/api/patients/:patient'],
    ['POST', '/api/patients/:patient/pairing-code'],
    ['GET', '/api/patients/:patient/devices'],
    ['GET', '/api/patients/:patient/sessions'],
    ['GET', '/api/patients/:patient/sessions.csv'],
    ['GET', '/api/patients/:patient/audit'],
    ['GET', '/api/patients/:patient/export'],
    ['GET', '/api/sessions/:session'],
    ['GET', '/api/sessions/:session/trials.csv'],
    ['GET', '/api/sessions/:session/fhir'],
    ['GET', '/api/sessions/:session/personal'],
    ['GET', '/api/patients/:patient/map.csv'],
    ['GET', '/api/patients/:patient/trends.csv'],
    ['GET', '/api/patients/:patient/alerts.csv'],
  ] as const)("another therapist's HTTP %s %s answers 404", async (method, path) => {
    const answer = await api(
      server.url,
      method,
      resolvePath(path),
      tokens.therapistB,
      method === 'PATCH' ? { notes: 'x' } : undefined,
    );
    expect(answer).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it.each([
    ['GET', '/api/patients/:patient'],
    ['GET', '/api/sessions/:session'],
    ['GET', '/api/patients'],
  ] as const)('a headset token on the therapist API %s %s answers 403', async (method, path) => {
    const answer = await api(server.url, method, resolvePath(path), tokens.deviceA);
    expect(answer).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
  });

  it('a therapist token on the device API answers 403, no token 401', async () => {
    expect((await api(server.url, 'GET', '/api/device/me', tokens.therapistA)).status).toBe(403);
    expect((await api(server.url, 'GET', '/api/device/me')).status).toBe(401);
  });
});
