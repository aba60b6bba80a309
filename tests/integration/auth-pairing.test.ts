import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import { api, connect, createPatient, PASSWORD, therapistWithToken } from './helpers';

describe('accounts, pairing and the socket handshake', () => {
  let server: InProcessServer;
  let token: string;
  let patientId: string;

  beforeAll(async () => {
    server = await startInProcessServer({ env: { PAIRING_TTL_SECONDS: '2' } });
    token = await therapistWithToken(server, 'anna');
    patientId = (await createPatient(server.url, token, 'P-001')).id;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers /healthz with the database state', async () => {
    expect(await api(server.url, 'GET', '/healthz')).toEqual({
      status: 200,
      body: { status: 'ok', db: 'ok' },
    });
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    for (const body of [
      { username: 'anna', password: 'wrong password' },
      { username: 'nobody', password: PASSWORD },
    ]) {
      const answer = await api(server.url, 'POST', '/api/auth/login', null, body);
      expect(answer).toEqual({
        status: 401,
        body: { error: { code: 'unauthenticated', message: 'wrong username or password' } },
      });
    }
  });

  it('logs in, and logout revokes the token for HTTP and sockets', async () => {
    const login = await api<{ token: string; expiresAt: string; therapist: { username: string } }>(
      server.url,
      'POST',
      '/api/auth/login',
      null,
      { username: 'anna', password: PASSWORD },
    );
    expect(login.status).toBe(200);
    expect(login.body.therapist.username).toBe('anna');
    expect(new Date(login.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const socket = await connect(server.url, login.body.token);
    const disconnected = new Promise<string>((r) => socket.once('disconnect', r));
    expect((await api(server.url, 'POST', '/api/auth/logout', login.body.token)).status).toBe(200);
    expect(await disconnected).toBe('io server disconnect');
    expect((await api(server.url, 'GET', '/api/patients', login.body.token)).status).toBe(401);
    await expect(connect(server.url, login.body.token)).rejects.toThrow('unauthenticated');
  });

  it('refuses a handshake with another protocol version or without a valid token', async () => {
    const mismatch = await connect(server.url, token, {
      protocolVersion: PROTOCOL_VERSION + 1,
    }).catch((e: unknown) => e);
    expect(mismatch).toMatchObject({
      message: 'protocol_mismatch',
      data: { code: 'protocol_mismatch', serverVersion: PROTOCOL_VERSION },
    });
    await expect(connect(server.url, 'rt_forged')).rejects.toThrow('unauthenticated');
    await expect(connect(server.url, 'not-a-token')).rejects.toThrow('unauthenticated');
  });

  it('refuses a browser handshake from a foreign origin', async () => {
    const response = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    const same = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: server.url },
    });
    expect(same.status).toBe(200);
  });

  it('pairs a headset with a 6-digit single-use code', async () => {
    const code = await api<{ code: string; expiresAt: string }>(
      server.url,
      'POST',
      `/api/patients/${patientId}/pairing-code`,
      token,
    );
    expect(code.status).toBe(201);
    expect(code.body.code).toMatch(/^\d{6}$/);
    const paired = await api<{ deviceToken: string; patient: { id: string; label: string } }>(
      server.url,
      'POST',
      '/api/pair',
      null,
      { code: code.body.code },
    );
    expect(paired.status).toBe(201);
    expect(paired.body.patient).toEqual({ id: patientId, label: 'Patient P-001' });
    const reused = await api(server.url, 'POST', '/api/pair', null, { code: code.body.code });
    expect(reused.status).toBe(404);

    const me = await api<{ patient: { id: string }; calibration: object }>(
      server.url,
      'GET',
      '/api/device/me',
      paired.body.deviceToken,
    );
    expect(me.status).toBe(200);
    expect(me.body.patient.id).toBe(patientId);
    expect(me.body.calibration).toEqual({});
    const device = await connect(server.url, paired.body.deviceToken);
    expect(device.connected).toBe(true);

    const devices = await api<{ devices: { id: string; revokedAt: string | null }[] }>(
      server.url,
      'GET',
      `/api/patients/${patientId}/devices`,
      token,
    );
    expect(devices.body.devices).toHaveLength(1);
    const deviceId = devices.body.devices[0]!.id;
    const dropped = new Promise<string>((r) => device.once('disconnect', r));
    expect((await api(server.url, 'DELETE', `/api/devices/${deviceId}`, token)).status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    expect((await api(server.url, 'GET', '/api/device/me', paired.body.deviceToken)).status).toBe(
      401,
    );
    await expect(connect(server.url, paired.body.deviceToken)).rejects.toThrow('unauthenticated');

    const audit = await api<{ entries: { action: string }[] }>(
      server.url,
      'GET',
      `/api/patients/${patientId}/audit`,
      token,
    );
    const actions = audit.body.entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'patient.create',
        'pairing.code_issued',
        'pairing.paired',
        'device.revoke',
      ]),
    );
  });

  it('refuses an expired code', async () => {
    const code = await api<{ code: string }>(
      server.url,
      'POST',
      `/api/patients/${patientId}/pairing-code`,
      token,
    );
    await new Promise((r) => setTimeout(r, 2200));
    const late = await api(server.url, 'POST', '/api/pair', null, { code: code.body.code });
    expect(late).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('locks pairing for an address after 5 wrong codes', async () => {
    const code = await api<{ code: string }>(
      server.url,
      'POST',
      `/api/patients/${patientId}/pairing-code`,
      token,
    );
    const wrong = code.body.code === '000000' ? '111111' : '000000';
    // The reused and the expired code above already counted as two wrong codes.
    for (let i = 0; i < 3; i++) {
      expect((await api(server.url, 'POST', '/api/pair', null, { code: wrong })).status).toBe(404);
    }
    const locked = await api(server.url, 'POST', '/api/pair', null, { code: code.body.code });
    expect(locked).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
  });

  it('keeps patients to their therapist', async () => {
    const other = await therapistWithToken(server, 'bert');
    expect((await api(server.url, 'GET', `/api/patients/${patientId}`, other)).status).toBe(404);
    const list = await api<{ patients: unknown[] }>(server.url, 'GET', '/api/patients', other);
    expect(list.body.patients).toEqual([]);
    const mine = await api<{ patients: { id: string; sessionsThisWeek: number }[] }>(
      server.url,
      'GET',
      '/api/patients',
      token,
    );
    expect(mine.body.patients.map((p) => [p.id, p.sessionsThisWeek])).toEqual([[patientId, 0]]);
  });
});
