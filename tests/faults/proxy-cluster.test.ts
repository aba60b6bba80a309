import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type LiveSessionInfo } from '../../shared/protocol';
import { createScratchPgDatabase } from '../integration/databases';
import { makeState, makeTrial } from '../integration/helpers';
import { PASSWORD } from '../support/clinic';
import {
  establishedConnections,
  httpsJson,
  nginxAvailable,
  NGINX_TEMPLATE,
  startNginx,
  type RunningProxy,
} from '../support/nginx';
import { addTherapist, startServer, type RunningServer } from '../support/server';
import { nextEvent, request, sleep, waitFor, type TestSocket } from '../support/sockets';
import { playSession, report } from './support';

const redisUrl = process.env.TEST_REDIS_URL;
const pgUrl = process.env.TEST_DATABASE_URL;
const ready = Boolean(redisUrl && pgUrl && nginxAvailable());
if (!ready) {
  console.log(
    '[faults] SKIPPED proxy cluster: needs TEST_REDIS_URL, TEST_DATABASE_URL (source .ci/services) and nginx',
  );
}

/**
 * The deployment a clinic runs (docs/deploy.md): two server processes on PostgreSQL and the
 * sharded Redis adapter, behind Debian's nginx with TLS at the proxy, round-robin and WebSocket
 * upgrades, configured from the very file the documentation ships.
 */
describe.skipIf(!ready)('two processes behind nginx (TLS, round-robin, WebSocket)', () => {
  const servers: RunningServer[] = [];
  const sockets: TestSocket[] = [];
  let proxy: RunningProxy;
  let dir: string;
  let dropDatabase: () => Promise<void>;
  let env: Record<string, string>;
  let therapistToken: string;
  let patientId: string;
  let ports: number[];

  const api = <T>(method: string, path: string, token?: string | null, body?: unknown) =>
    httpsJson<T>(proxy, method, path, token, body);

  /** A socket through the proxy, trusting only its throwaway certificate. */
  const connectProxied = (token: string): Promise<TestSocket> => {
    const socket = io(proxy.url, {
      auth: { protocolVersion: PROTOCOL_VERSION, token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ca: proxy.ca,
    }) as TestSocket;
    sockets.push(socket);
    return new Promise((resolveSocket, reject) => {
      socket.once('connect', () => resolveSocket(socket));
      socket.once('connect_error', reject);
    });
  };

  /** WebSockets the proxy holds to each process, once the count has settled. */
  const socketsPerProcess = async (): Promise<number[]> => {
    await sleep(300);
    return ports.map((p) => establishedConnections(ports).get(p)!);
  };

  /** Connects `token` again until its socket lands on the process `wanted` (round-robin). */
  const connectOn = async (token: string, wanted: number): Promise<TestSocket> => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const before = await socketsPerProcess();
      const socket = await connectProxied(token);
      const after = await socketsPerProcess();
      if (after[wanted]! > before[wanted]!) return socket;
      socket.close();
    }
    throw new Error(`no socket landed on process ${wanted}`);
  };

  const pairThroughProxy = async (): Promise<{ deviceToken: string; deviceId: string }> => {
    const code = await api<{ code: string }>(
      'POST',
      `/api/patients/${patientId}/pairing-code`,
      therapistToken,
    );
    const paired = await api<{ deviceToken: string }>('POST', '/api/pair', null, {
      code: code.body.code,
    });
    expect(paired.status).toBe(201);
    const devices = await api<{ devices: { id: string }[] }>(
      'GET',
      `/api/patients/${patientId}/devices`,
      therapistToken,
    );
    return { deviceToken: paired.body.deviceToken, deviceId: devices.body.devices.at(-1)!.id };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reach-proxy-'));
    const scratch = await createScratchPgDatabase(pgUrl!);
    dropDatabase = scratch.drop;
    env = {
      DATABASE_URL: scratch.url,
      REDIS_URL: redisUrl!,
      REDIS_CHANNEL_PREFIX: `reach-proxy-${randomBytes(4).toString('hex')}`,
      TOKEN_SECRET: randomBytes(32).toString('hex'),
      TRUST_PROXY: 'loopback',
    };
    servers.push(await startServer({ dataDir: join(dir, 'one'), env }));
    servers.push(await startServer({ dataDir: join(dir, 'two'), env }));
    ports = servers.map((s) => s.port);
    proxy = await startNginx(join(dir, 'nginx'), ports);
    await addTherapist({ dataDir: join(dir, 'one') }, 'nora', PASSWORD, env);
    const login = await api<{ token: string }>('POST', '/api/auth/login', null, {
      username: 'nora',
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    therapistToken = login.body.token;
    const patient = await api<{ id: string }>('POST', '/api/patients', therapistToken, {
      code: 'N-1',
      label: 'Patient N-1',
      affectedArm: 'right',
      posture: 'seated',
      notes: '',
    });
    expect(patient.status).toBe(201);
    patientId = patient.body.id;
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await proxy?.close();
    for (const s of servers) await s.close({ keepData: true });
    await dropDatabase?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the configuration docs/deploy.md shows, word for word', () => {
    const deployDoc = readFileSync(resolve(import.meta.dirname, '../../docs/deploy.md'), 'utf8');
    expect(deployDoc).toContain(readFileSync(NGINX_TEMPLATE, 'utf8').trim());
  });

  it('puts a therapist and a headset on different processes; live view, control, trials work across them', async () => {
    const therapist = await connectOn(therapistToken, 0);
    const { deviceToken } = await pairThroughProxy();
    const device = await connectOn(deviceToken, 1);
    expect(await socketsPerProcess()).toEqual([1, 1]);

    expect(await request(therapist, 'patient:watch', { patientId })).toEqual({
      ok: true,
      data: { live: null },
    });
    const announced = nextEvent<LiveSessionInfo>(therapist, 'live:session');
    const sessionId = randomUUID();
    expect(
      await request(device, 'session:start', {
        sessionId,
        mode: 'live',
        startedAt: new Date().toISOString(),
      }),
    ).toEqual({ ok: true, data: { sessionId } });
    const live = await announced;
    expect(live).toMatchObject({ sessionId, deviceConnected: true });

    const stateSeen = nextEvent<LiveSessionInfo>(therapist, 'live:session');
    device.emit('session:state', makeState(sessionId, { level: 42 }));
    expect((await stateSeen).state?.level).toBe(42);

    const frame = Buffer.from([1, 0, 7, 0, 0, 0, 0, 0]).toString('base64');
    const pose = nextEvent<[string, string]>(therapist, 'live:pose');
    device.emit('pose:frame', frame);
    expect(await pose).toEqual([live.poseAlias, frame]);

    const trialSeen = nextEvent<{ trial: { id: string } }>(therapist, 'live:trial');
    const trial = makeTrial(sessionId, 1);
    expect(await request(device, 'trial:submit', trial)).toEqual({
      ok: true,
      data: { trialId: trial.id, duplicate: false },
    });
    expect((await trialSeen).trial.id).toBe(trial.id);
    const stored = await api<{ trials: { id: string }[] }>(
      'GET',
      `/api/sessions/${sessionId}`,
      therapistToken,
    );
    expect(stored.body.trials.map((t) => t.id)).toEqual([trial.id]);

    device.on('control:apply', (payload, ack) => {
      expect(payload.command).toEqual({ type: 'pause' });
      ack({ applied: true });
    });
    expect(
      await request(therapist, 'control:send', {
        sessionId,
        commandId: randomUUID(),
        command: { type: 'pause' },
      }),
    ).toMatchObject({ ok: true, data: { applied: true } });
    therapist.close();
    device.close();
  });

  it('revoking a headset on one process closes its socket on the other', async () => {
    const { deviceToken, deviceId } = await pairThroughProxy();
    const device = await connectOn(deviceToken, 1);
    const closed = nextEvent<string>(device, 'disconnect');
    // Straight to the first process: the headset's socket is on the second.
    const revoked = await fetch(`${servers[0]!.url}/api/devices/${deviceId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${therapistToken}` },
    });
    expect(revoked.status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    await expect(connectProxied(deviceToken)).rejects.toMatchObject({
      data: { code: 'unauthenticated' },
    });
  });

  it('signing out closes the login on both processes', async () => {
    const login = await api<{ token: string }>('POST', '/api/auth/login', null, {
      username: 'nora',
      password: PASSWORD,
    });
    const token = login.body.token;
    const onOne = await connectOn(token, 0);
    const onTwo = await connectOn(token, 1);
    const closed = [nextEvent(onOne, 'disconnect'), nextEvent(onTwo, 'disconnect')];
    expect((await api('POST', '/api/auth/logout', token)).status).toBe(200);
    expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect']);
    await expect(connectProxied(token)).rejects.toMatchObject({
      data: { code: 'unauthenticated' },
    });
  });

  it('killing a process moves its clients to the other and loses nothing', async () => {
    const { deviceToken } = await pairThroughProxy();
    let killed = -1;
    let movedConnections: number[] = [];
    const played = await playSession({
      headsetUrl: proxy.url,
      watcherUrl: proxy.url,
      socketOptions: { ca: proxy.ca },
      clinic: { therapistToken, deviceToken, patientId },
      trialEveryMs: 200,
      inject: async ({ watcher }) => {
        await waitFor(
          () => watcher.trialIds.length > 3 && watcher.poses > 10,
          10_000,
          'the live view through the proxy',
        );
        const held = await socketsPerProcess();
        killed = held.findIndex((n) => n > 0);
        await servers[killed]!.kill();
        const poses = watcher.poses;
        await waitFor(() => watcher.poses > poses + 10, 20_000, 'poses through the survivor');
        await waitFor(
          () => watcher.lastLive?.deviceConnected === true,
          20_000,
          'the live view to show the headset again',
        );
        movedConnections = await socketsPerProcess();
      },
      // Read back from the survivor, directly.
      tallyUrl: () => servers[1 - killed]!.url,
    }).catch(async (err: unknown) => {
      throw new Error(`${String(err)}\n${proxy.errorLog()}`);
    });
    const t = played.tally;
    report(
      'nginx + 2 processes (PostgreSQL, Redis), one SIGKILLed',
      `SIGKILL of process ${killed + 1}; nginx sends the reconnects to the other`,
      t,
      `sockets per process after the kill: ${movedConnections.join(', ')}`,
    );
    expect(movedConnections[killed]).toBe(0);
    expect(movedConnections[1 - killed]).toBe(2);
    expect(t.lost).toBe(0);
    expect(t.duplicated).toBe(0);
    expect(t.ackedButMissing).toBe(0);
    expect(t.stored).toBe(t.finished);
    expect(played.counts.discarded).toEqual([]);
    // One alias for the session, whichever process relayed its frames.
    expect(new Set(played.watcher.poseAliases).size).toBe(1);
  }, 120_000);
});
