import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSessionInfo } from '../../shared/protocol';
import type { WatchAnnouncement } from '../../server/live/pose-batch';
import { WATCH_LEASE_MS, WATCH_REFRESH_MS } from '../../server/live/pose-relay';
import { login, startServer, type RunningServer } from '../support/server';
import { waitFor } from '../support/sockets';
import { createScratchPgDatabase } from './databases';
import {
  api,
  connect,
  createPatient,
  nextEvent,
  pairDeviceToken,
  PASSWORD,
  request,
  sleep,
  startSession,
  therapistWithToken,
  type TestSocket,
} from './helpers';

const redisUrl = process.env.TEST_REDIS_URL;

const pgUrl = process.env.TEST_DATABASE_URL;

const THERAPIST = 'pia';
const frameNumbered = (n: number) => Buffer.from([1, 0, n, 0, 0, 0, 0, 0]).toString('base64');

/**
 * Pose frames between two processes (server/live/pose-relay.ts): the headset on the first, its
 * watcher on the second. The test listens on Redis beside them: to the processes announcing whom
 * they watch, and to the second one's inbox of frame batches.
 */
describe.skipIf(!redisUrl)('pose frames between two processes', () => {
  const servers: RunningServer[] = [];
  const sockets: TestSocket[] = [];
  const redis = createClient({ url: redisUrl });
  const announcements: WatchAnnouncement[] = [];
  /** The batches published to the watcher process's inbox, decoded. */
  const batches: string[][] = [];
  const inboxesHeard = new Set<string>();
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | null = null;
  let prefix: string;
  let patientId: string;
  let device: TestSocket;

  /** Resolves with the process that announces `kind` for the patient. */
  const announced = async (kind: 'watch' | 'unwatch'): Promise<string> => {
    let from: string | undefined;
    await waitFor(
      () => {
        from = announcements.find((a) => a.kind === kind && a.patientId === patientId)?.from;
        return from !== undefined;
      },
      5_000,
      `a ${kind} announcement`,
    );
    announcements.length = 0;
    return from!;
  };

  /** Records the batches published to `processId` from now on. */
  const listenToInbox = async (processId: string) => {
    if (inboxesHeard.has(processId)) return;
    inboxesHeard.add(processId);
    await redis.sSubscribe(`${prefix}#pose#${processId}`, (message) =>
      batches.push(JSON.parse(message) as string[]),
    );
  };

  /** A therapist socket on the second process watching the patient, and the frames it gets. */
  const watchOnSecond = async (token: string) => {
    const therapist = await connect(servers[1]!.url, token);
    sockets.push(therapist);
    const received: [string, string][] = [];
    therapist.on('live:pose', (pose) => received.push(pose));
    const watched = (await request(therapist, 'patient:watch', { patientId })) as {
      data: { live: LiveSessionInfo };
    };
    return { therapist, received, poseAlias: watched.data.live.poseAlias };
  };

  /** Sends `count` frames numbered from `first`, all at once; returns them. */
  const sendFrames = (first: number, count: number): string[] => {
    const frames = Array.from({ length: count }, (_, i) => frameNumbered(first + i));
    for (const frame of frames) device.emit('pose:frame', frame);
    return frames;
  };

  const framesInBatches = () => batches.reduce((sum, batch) => sum + batch.length / 3, 0);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'reach-pose-relay-'));
    prefix = `reach-test-${randomBytes(4).toString('hex')}`;
    const env: Record<string, string> = {
      REDIS_URL: redisUrl!,
      REDIS_CHANNEL_PREFIX: prefix,
      TOKEN_SECRET: randomBytes(32).toString('hex'),
    };
    if (pgUrl) {
      const scratch = await createScratchPgDatabase(pgUrl);
      env.DATABASE_URL = scratch.url;
      dropDatabase = scratch.drop;
    }
    await redis.connect();
    await redis.sSubscribe(`${prefix}#pose-watch`, (message) =>
      announcements.push(JSON.parse(message) as WatchAnnouncement),
    );
    servers.push(await startServer({ dataDir, env }));
    servers.push(await startServer({ dataDir, env }));
    const token = await therapistWithToken({ url: servers[0]!.url, dataDir }, THERAPIST, env);
    patientId = (await createPatient(servers[0]!.url, token, 'P-1')).id;
    device = await connect(
      servers[0]!.url,
      await pairDeviceToken(servers[0]!.url, token, patientId),
    );
    sockets.push(device);
    await startSession(device);
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await redis.quit().catch(() => undefined);
    for (const s of servers) await s.close({ keepData: true });
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('batches the frames for a watcher on the other process, and sends none after unwatch', async () => {
    const token = await login(servers[0]!.url, THERAPIST, PASSWORD);
    const { therapist, received, poseAlias } = await watchOnSecond(token);
    const watcherProcess = await announced('watch');
    await listenToInbox(watcherProcess);
    // The headset's process has heard the announcement too (it went out before the watch's answer).
    const frames = sendFrames(0, 30);
    await waitFor(() => received.length === 30, 5_000, 'the frames on the other process');
    expect(received).toEqual(frames.map((frame) => [poseAlias, frame]));
    // A few Redis messages carried them, not one per frame; each entry names patient and alias.
    expect(framesInBatches()).toBe(30);
    expect(batches.length).toBeLessThanOrEqual(5);
    expect(batches[0]!.slice(0, 3)).toEqual([patientId, poseAlias, frames[0]]);

    expect(await request(therapist, 'patient:unwatch', { patientId })).toEqual({
      ok: true,
      data: {},
    });
    expect(await announced('unwatch')).toBe(watcherProcess);
    await sleep(200);
    const batchesBefore = batches.length;
    sendFrames(30, 10);
    await sleep(500);
    expect(batches.length).toBe(batchesBefore);
    expect(received).toHaveLength(30);
  });

  it('sends none once the watcher signed out, or its process died', async () => {
    const token = await login(servers[0]!.url, THERAPIST, PASSWORD);
    const first = await watchOnSecond(token);
    const watcherProcess = await announced('watch');
    await listenToInbox(watcherProcess);
    sendFrames(0, 5);
    await waitFor(() => first.received.length === 5, 5_000, 'the frames before signing out');
    expect(batches.length).toBeGreaterThan(0);

    const closed = nextEvent<string>(first.therapist, 'disconnect');
    expect((await api(servers[0]!.url, 'POST', '/api/auth/logout', token)).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    expect(await announced('unwatch')).toBe(watcherProcess);
    await sleep(200);
    let batchesBefore = batches.length;
    sendFrames(5, 10);
    await sleep(500);
    expect(batches.length).toBe(batchesBefore);

    // Watched again, then the watcher's process dies without a word: after its lease the
    // headset's process stops publishing for it.
    await watchOnSecond(await login(servers[0]!.url, THERAPIST, PASSWORD));
    await announced('watch');
    await servers[1]!.kill();
    // Within its lease (at least WATCH_LEASE_MS - WATCH_REFRESH_MS from now) it is still sent
    // frames: it is the lease running out that stops them, not the dropped connection.
    batchesBefore = batches.length;
    sendFrames(0, 3);
    await waitFor(() => batches.length > batchesBefore, 2_000, 'frames within the lease');
    await sleep(WATCH_LEASE_MS + WATCH_REFRESH_MS);
    batchesBefore = batches.length;
    sendFrames(3, 3);
    await sleep(500);
    expect(batches.length).toBe(batchesBefore);
  });
});
