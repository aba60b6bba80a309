import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpClinic } from '../support/clinic';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import { api, connect, request, startSession, type TestSocket } from './helpers';

type DeviceList = {
  devices: { id: string; revokedAt: string | null; openSessionId: string | null }[];
};
type SessionList = { sessions: { id: string; endedAt: string | null; endReason: string | null }[] };
type LiveSession = { sessionId: string; endedAt?: string | null; endReason?: string | null };

/**
 * Unpairing a headset mid-session: the headset can never send for that session again (its token
 * is dead, its outbox drops what the old pairing recorded), so the session must not stay open for
 * ever; the therapist ended it, and the watchers see it end.
 */
describe('unpairing a headset that plays a session', () => {
  let server: InProcessServer;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    server = await startInProcessServer();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  it('the device list names its open session; unpairing ends that session as the therapist', async () => {
    const clinic = await setUpClinic(server, 'unpairer');
    const device = await connect(server.url, clinic.deviceToken);
    const watcher = await connect(server.url, clinic.therapistToken);
    sockets.push(device, watcher);
    const { sessionId, answer } = await startSession(device);
    expect(answer.ok).toBe(true);
    expect((await request(watcher, 'patient:watch', { patientId: clinic.patientId })).ok).toBe(
      true,
    );

    const listDevices = async () =>
      (
        await api<DeviceList>(
          server.url,
          'GET',
          `/api/patients/${clinic.patientId}/devices`,
          clinic.therapistToken,
        )
      ).body.devices.map((d) => [d.id, d.revokedAt === null, d.openSessionId]);
    expect(await listDevices()).toEqual([[clinic.deviceId, true, sessionId]]);

    const heard: LiveSession[] = [];
    watcher.on('live:session', (payload) => heard.push(payload as LiveSession));
    const before = Date.now();
    const revoke = await api(
      server.url,
      'DELETE',
      `/api/devices/${clinic.deviceId}`,
      clinic.therapistToken,
    );
    expect(revoke.status).toBe(200);
    // The dashboard hears the headset go and the session end.
    await expect
      .poll(() => heard.filter((s) => s.endedAt).map((s) => [s.sessionId, s.endReason]))
      .toEqual([[sessionId, 'therapist']]);

    const { body } = await api<SessionList>(
      server.url,
      'GET',
      `/api/patients/${clinic.patientId}/sessions`,
      clinic.therapistToken,
    );
    expect(body.sessions.map((s) => [s.id, s.endReason])).toEqual([[sessionId, 'therapist']]);
    expect(Date.parse(body.sessions[0]!.endedAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect(await listDevices()).toEqual([[clinic.deviceId, false, null]]);
  });
});
