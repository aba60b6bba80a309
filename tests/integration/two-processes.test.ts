import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSessionInfo } from '../../shared/protocol';
import { api, PASSWORD } from '../support/clinic';
import { addTherapist, startServer, type RunningServer } from '../support/server';
import { loose } from '../support/sockets';
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
  let env: Record<string, string>;
  let secondDeviceToken: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'reach-cluster-'));
    env = {
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
    // Paired now: the lockout test below locks this address out of pairing.
    secondDeviceToken = await pairDeviceToken(one.url, therapistToken, patientId);
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

    const pose = nextEvent<[string, string]>(therapist, 'live:pose');
    device.emit('pose:frame', Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]).toString('base64'));
    expect((await pose)[0]).toBe((await stateSeen).poseAlias);

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

  // The guessing limits are counted in Redis: the second process does not start a fresh count.
  it('shares the pairing lockout per address across processes', async () => {
    const [one, two] = servers as [RunningServer, RunningServer];
    const guess = (server: RunningServer) =>
      api<{ error?: { code: string } }>(server.url, 'POST', '/api/pair', null, { code: '000000' });
    // Five wrong codes per address per window: three on one process, two on the other...
    const answers = [];
    for (const server of [one, one, one, two, two]) answers.push((await guess(server)).status);
    expect(answers.filter((status) => status === 429)).toEqual([]);
    // ...and the sixth is refused on either.
    expect((await guess(one)).status).toBe(429);
    expect((await guess(two)).status).toBe(429);
  });

  it('holds an account after failures on the other process', async () => {
    const [one, two] = servers as [RunningServer, RunningServer];
    await addTherapist({ dataDir }, 'ines', PASSWORD, env);
    const signIn = async (server: RunningServer, password: string) => {
      const started = Date.now();
      const answer = await api(server.url, 'POST', '/api/auth/login', null, {
        username: 'ines',
        password,
      });
      return { status: answer.status, ms: Date.now() - started };
    };
    // Two free failures on one process; the third in a row, on the other, is held 1 s.
    await signIn(one, 'wrong-1');
    await signIn(one, 'wrong-2');
    const third = await signIn(two, 'wrong-3');
    expect(third.status).toBe(401);
    expect(third.ms).toBeGreaterThanOrEqual(950);
    // The fourth, back on the first, is held 2 s: the count is the clinic's, not the process's.
    const fourth = await signIn(one, 'wrong-4');
    expect(fourth.ms).toBeGreaterThanOrEqual(1950);
    expect((await signIn(two, PASSWORD)).status).toBe(200);
  });

  it('gives a token spread over both processes about one event budget, not two', async () => {
    const [one, two] = servers as [RunningServer, RunningServer];
    const onOne = await connect(one.url, secondDeviceToken);
    const onTwo = await connect(two.url, secondDeviceToken);
    sockets.push(onOne, onTwo);
    // 50 events a second on each socket for 4 s; one process alone lets through its burst (40)
    // and 20 a second: 120. Two separate budgets would let through 240.
    // (The per-event answer is `rate_limited` or, for a budget left, `unknown_event`.)
    let passed = 0;
    const flood = async (socket: TestSocket) => {
      const answers: Promise<unknown>[] = [];
      for (let i = 0; i < 200; i++) {
        answers.push(
          loose(socket)
            .timeout(10_000)
            .emitWithAck('no:such-event', {})
            .then((answer) => {
              if ((answer as { error?: { code: string } }).error?.code !== 'rate_limited') passed++;
            }),
        );
        await sleep(20);
      }
      await Promise.all(answers);
    };
    const started = Date.now();
    await Promise.all([flood(onOne), flood(onTwo)]);
    // A loaded machine stretches the 4 s: the budgets are judged over the time it really took.
    const seconds = (Date.now() - started) / 1000;
    const oneBudget = 40 + 20 * seconds;
    expect(passed).toBeGreaterThanOrEqual(0.75 * oneBudget);
    expect(passed).toBeLessThanOrEqual(1.3 * oneBudget); // two budgets: 2 x oneBudget
  });
});
