import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import { api, connect, createPatient, therapistWithToken, type TestSocket } from './helpers';

describe('pairing:used', () => {
  let server: InProcessServer;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    server = await startInProcessServer();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  it("tells the patient's therapist, on every tab, which headset a code paired; nobody else", async () => {
    const owner = await therapistWithToken(server, 'owner');
    const other = await therapistWithToken(server, 'other');
    const patient = await createPatient(server.url, owner, 'USED-1');
    const heard: Record<string, unknown[]> = { tab1: [], tab2: [], other: [] };
    for (const [name, token] of [
      ['tab1', owner],
      ['tab2', owner],
      ['other', other],
    ] as const) {
      const socket = await connect(server.url, token);
      socket.on('pairing:used', (payload) => heard[name]!.push(payload));
      sockets.push(socket);
    }
    const { body: code } = await api<{ code: string }>(
      server.url,
      'POST',
      `/api/patients/${patient.id}/pairing-code`,
      owner,
    );
    const paired = await api(server.url, 'POST', '/api/pair', null, { code: code.code });
    expect(paired.status).toBe(201);
    const { body } = await api<{ devices: { id: string; createdAt: string }[] }>(
      server.url,
      'GET',
      `/api/patients/${patient.id}/devices`,
      owner,
    );
    await expect.poll(() => heard.tab1!.length + heard.tab2!.length).toBe(2);
    const event = heard.tab1![0] as { patientId: string; deviceId: string; pairedAt: string };
    expect(event.patientId).toBe(patient.id);
    expect(event.deviceId).toBe(body.devices[0]!.id);
    expect(
      Math.abs(Date.parse(event.pairedAt) - Date.parse(body.devices[0]!.createdAt)),
    ).toBeLessThan(5000);
    expect(heard.tab2).toEqual(heard.tab1);
    expect(heard.other).toEqual([]);
  });
});

describe('GET /api/patients/:id/pairing-code', () => {
  let server: InProcessServer;

  beforeAll(async () => {
    server = await startInProcessServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('says what became of the newest code, for a dashboard that missed the event', async () => {
    const owner = await therapistWithToken(server, 'status-owner');
    const other = await therapistWithToken(server, 'status-other');
    const patient = await createPatient(server.url, owner, 'STATUS-1');
    const status = () =>
      api<{ latest: Record<string, unknown> | null }>(
        server.url,
        'GET',
        `/api/patients/${patient.id}/pairing-code`,
        owner,
      );
    expect((await status()).body).toEqual({ latest: null });

    const { body: code } = await api<{ code: string; issuedAt: string; expiresAt: string }>(
      server.url,
      'POST',
      `/api/patients/${patient.id}/pairing-code`,
      owner,
    );
    expect((await status()).body.latest).toEqual({
      issuedAt: code.issuedAt,
      expiresAt: code.expiresAt,
      state: 'pending',
      pairedAt: null,
      deviceId: null,
    });

    expect((await api(server.url, 'POST', '/api/pair', null, { code: code.code })).status).toBe(
      201,
    );
    const { body } = await api<{ devices: { id: string }[] }>(
      server.url,
      'GET',
      `/api/patients/${patient.id}/devices`,
      owner,
    );
    const used = (await status()).body.latest!;
    expect([used.issuedAt, used.state, used.deviceId]).toEqual([
      code.issuedAt,
      'used',
      body.devices[0]!.id,
    ]);
    expect(typeof used.pairedAt).toBe('string');
    // Another therapist's patient does not exist for them.
    expect(
      (await api(server.url, 'GET', `/api/patients/${patient.id}/pairing-code`, other)).status,
    ).toBe(404);
  });
});
