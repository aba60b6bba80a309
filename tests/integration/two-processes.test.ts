import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSessionInfo } from '../../shared/protocol';
import { startServer, type RunningServer } from '../support/server';
import { createScratchPgDatabase } from './databases';
import {
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

const redisUrl = process.env.TEST_REDIS_URL;
const pgUrl = process.env.TEST_DATABASE_URL;
if (!redisUrl) {
  console.warn('two processes: TEST_REDIS_URL not set, skipped (start redis-server and set it)');
}

/** One clinic, two server processes behind Redis: the therapist on one, the headset on the other. */
describe.skipIf(!redisUrl)('two server processes sharing Redis', () => {
  const servers: RunningServer[] = [];
  const sockets: TestSocket[] = [];
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | null = null;
  let therapist: TestSocket;
  let device: TestSocket;
  let patientId: string;
  let therapistToken: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'reach-cluster-'));
    const env: Record<string, string> = {
      REDIS_URL: redisUrl!,
      REDIS_CHANNEL_PREFIX: `reach-test-${randomBytes(4).toString('hex')}`,
      TOKEN_SECRET: randomBytes(32).toString('hex'),
    };
    if (pgUrl) {
      const scratch = await createScratchPgDatabase(pgUrl);
      env.DATABASE_URL = scratch.url;
      dropDatabase = scratch.drop;
    }
    servers.push(await startServer({ dataDir, env }));
    servers.push(await startServer({ dataDir, env }));
    const [one, two] = servers as [RunningServer, RunningServer];
    therapistToken = await therapistWithToken({ url: one.url, dataDir }, 'hanna', env);
    patientId = (await createPatient(one.url, therapistToken, 'C-1')).id;
    const deviceToken = await pairDeviceToken(two.url, therapistToken, patientId);
    therapist = await connect(one.url, therapistToken);
    device = await connect(two.url, deviceToken);
    sockets.push(therapist, device);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    for (const s of servers) await s.close({ keepData: true });
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('relays the session, state, poses and trials across processes', async () => {
    expect(await request(therapist, 'patient:watch', { patientId })).toEqual({
      ok: true,
      data: { live: null },
    });
    const announced = nextEvent<LiveSessionInfo>(therapist, 'live:session');
    const { sessionId } = await startSession(device);
    expect(await announced).toMatchObject({ sessionId, deviceConnected: true });

    const stateSeen = nextEvent<LiveSessionInfo>(therapist, 'live:session');
    device.emit('session:state', makeState(sessionId, { level: 55 }));
    expect((await stateSeen).state?.level).toBe(55);

    const pose = nextEvent<{ sessionId: string }>(therapist, 'live:pose');
    device.emit('pose:frame', Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]).toString('base64'));
    expect((await pose).sessionId).toBe(sessionId);

    const trialSeen = nextEvent<{ trial: { id: string } }>(therapist, 'live:trial');
    const trial = makeTrial(sessionId, 1);
    expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
    expect((await trialSeen).trial.id).toBe(trial.id);

    // A late joiner on the process without the headset gets the state from the database.
    const late = await connect(servers[0]!.url, therapistToken);
    sockets.push(late);
    await sleep(100);
    expect(await request(late, 'patient:watch', { patientId })).toMatchObject({
      ok: true,
      data: { live: { sessionId, deviceConnected: true, state: { level: 55 } } },
    });

    device.on('control:apply', (_payload, ack) => ack({ applied: true }));
    expect(
      await request(therapist, 'control:send', {
        sessionId,
        commandId: randomUUID(),
        command: { type: 'pause' },
      }),
    ).toMatchObject({ ok: true, data: { applied: true } });
  });
});
