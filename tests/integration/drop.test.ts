import { afterAll, describe, expect, it } from 'vitest';
import type { Trial } from '../../shared/protocol';
import { startServer, type RunningServer } from '../support/server';
import {
  api,
  connect,
  createPatient,
  makeTrial,
  pairDeviceToken,
  PASSWORD,
  request,
  startSession,
  therapistWithToken,
  type TestSocket,
} from './helpers';

/**
 * The headset's outbox resends every trial not yet acknowledged. Whatever breaks (the headset's
 * Wi-Fi, the server process), each trial ends up stored exactly once.
 */
describe('drops: every trial stored exactly once', () => {
  let server: RunningServer;
  const sockets: TestSocket[] = [];

  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.close({ keepData: false });
  });

  it('survives a headset reconnect and a server SIGKILL with the same data directory', async () => {
    server = await startServer();
    const therapistToken = await therapistWithToken(server, 'emil');
    const patientId = (await createPatient(server.url, therapistToken, 'D-1')).id;
    const deviceToken = await pairDeviceToken(server.url, therapistToken, patientId);
    let device = await connect(server.url, deviceToken);
    sockets.push(device);
    const { sessionId } = await startSession(device);
    const trials: Trial[] = Array.from({ length: 12 }, (_, i) => makeTrial(sessionId, i + 1, 300));
    const acked = new Set<string>();

    const submit = async (socket: TestSocket, batch: Trial[]) => {
      for (const t of batch) {
        const answer = await request(socket, 'trial:submit', t);
        if (answer.ok) acked.add(t.id);
      }
    };

    await submit(device, trials.slice(0, 4));
    // The headset drops mid-upload: trial 5 is sent but its answer is lost with the connection.
    device.emit('trial:submit', trials[4]!, () => undefined);
    device.close();
    device = await connect(server.url, deviceToken);
    sockets.push(device);
    await startSession(device, sessionId);
    // The outbox resends everything not acknowledged, including trial 5.
    await submit(device, trials.slice(4, 8));

    // The server dies without warning, then comes back on the same data.
    const dataDir = server.dataDir;
    device.emit('trial:submit', trials[8]!, () => undefined);
    await server.kill();
    device.close();
    server = await startServer({ dataDir });
    device = await connect(server.url, deviceToken);
    sockets.push(device);
    await startSession(device, sessionId);
    await submit(device, trials.slice(8));
    // An outbox that lost its bookkeeping resends everything once more.
    const again = await Promise.all(trials.map((t) => request(device, 'trial:submit', t)));
    expect(again.every((a) => a.ok && (a.data as { duplicate: boolean }).duplicate)).toBe(true);

    expect(acked.size).toBe(12);
    const login = await api<{ token: string }>(server.url, 'POST', '/api/auth/login', null, {
      username: 'emil',
      password: PASSWORD,
    });
    const detail = await api<{ trials: { id: string; trialNumber: number }[] }>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}`,
      login.body.token,
    );
    expect(detail.body.trials.map((t) => t.trialNumber)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    expect(new Set(detail.body.trials.map((t) => t.id)).size).toBe(12);
  });
});
