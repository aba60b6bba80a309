import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import {
  connect,
  loose,
  makeState,
  makeTrial,
  percentile,
  poseFrameText,
  request,
  setUpClinic,
  shutdown,
  sleep,
  type Clinic,
  type TestSocket,
} from './harness';

/** The server's budgets (server/realtime/dispatch.ts): 20 events/s burst 40; poses 120/s burst 240. */
const EVENT_BURST = 40;
const EVENT_RATE = 20;
const POSE_BURST = 240;
const POSE_RATE = 120;

describe('floods', () => {
  let server: RunningServer;
  let flooder: Clinic;
  let bystander: Clinic;
  const sockets: TestSocket[] = [];
  const open = async (token: string) => {
    const socket = await connect(server.url, token);
    sockets.push(socket);
    return socket;
  };
  const startSession = async (device: TestSocket) => {
    const sessionId = randomUUID();
    await request(device, 'session:start', {
      sessionId,
      mode: 'live',
      startedAt: new Date().toISOString(),
    });
    return sessionId;
  };

  beforeAll(async () => {
    server = await startServer();
    flooder = await setUpClinic(server, 'flooder');
    bystander = await setUpClinic(server, 'calm');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await shutdown(server);
  });

  it('limits one socket flooding events, and another clinic does not notice', async () => {
    const device = await open(flooder.deviceToken);
    const sessionId = await startSession(device);
    const calmDevice = await open(bystander.deviceToken);
    const calmSession = await startSession(calmDevice);
    const serverErrors: string[] = [];
    loose(device).on('server:error', (e) => serverErrors.push((e as { code: string }).code));

    const calmLatencies: number[] = [];
    let calmFailures = 0;
    const calm = (async () => {
      for (let i = 1; i <= 20; i++) {
        const t0 = performance.now();
        const answer = await request(calmDevice, 'trial:submit', makeTrial(calmSession, i));
        calmLatencies.push(performance.now() - t0);
        if (!answer.ok) calmFailures++;
        await sleep(100);
      }
    })();

    const started = performance.now();
    const acks: Promise<{ ok: boolean; code?: string }>[] = [];
    for (let i = 0; i < 3000; i++) device.emit('session:state', makeState(sessionId, { score: i }));
    for (let i = 0; i < 300; i++) {
      acks.push(
        request(device, 'trial:submit', makeTrial(sessionId, i + 1, 10), 20_000).then((a) =>
          a.ok ? { ok: true } : { ok: false, code: a.error.code },
        ),
      );
    }
    const answers = await Promise.all(acks);
    await calm;
    const seconds = (performance.now() - started) / 1000;
    await sleep(500);
    const accepted = answers.filter((a) => a.ok).length;
    const limited = answers.filter((a) => a.code === 'rate_limited').length;
    console.log(
      `[flood] injected 3000 session:state + 300 trial:submit from one socket in ${seconds.toFixed(1)} s: ` +
        `${accepted} trials accepted, ${limited} rate_limited, ${serverErrors.length} server:error sent back; ` +
        `bystander trial acks p50 ${percentile(calmLatencies, 50).toFixed(0)} ms, max ${Math.max(...calmLatencies).toFixed(0)} ms, failures ${calmFailures}`,
    );
    expect(accepted + limited).toBe(300);
    // All 3300 events draw on one bucket, so the 300 trials arriving last get little of it.
    expect(accepted).toBeLessThanOrEqual(EVENT_BURST + EVENT_RATE * seconds);
    expect(limited).toBeGreaterThan(200);
    // Errors about fire-and-forget events are limited too (5/s), so a flood is not echoed back.
    expect(serverErrors.length).toBeLessThanOrEqual(5 + 5 * (seconds + 1));
    expect(calmFailures).toBe(0);
    expect(Math.max(...calmLatencies)).toBeLessThan(1000);
  });

  it('limits a pose-frame flood to the pose budget before it reaches the watchers', async () => {
    const device = await open(flooder.deviceToken);
    await startSession(device);
    const therapist = await open(flooder.therapistToken);
    await request(therapist, 'patient:watch', { patientId: flooder.patientId });
    let relayed = 0;
    loose(therapist).on('live:pose', () => relayed++);
    const started = performance.now();
    for (let i = 0; i < 5000; i++) device.emit('pose:frame', poseFrameText(i));
    await sleep(1500);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[flood] injected 5000 pose frames at once: ${relayed} relayed in ${seconds.toFixed(1)} s`,
    );
    expect(relayed).toBeGreaterThan(0);
    expect(relayed).toBeLessThanOrEqual(POSE_BURST + POSE_RATE * seconds);
  });

  it('does not let one token multiply its budget by opening many sockets', async () => {
    const many: TestSocket[] = [];
    for (let i = 0; i < 20; i++)
      many.push(await connect(server.url, flooder.deviceToken).catch(() => null as never));
    const connected = many.filter((s) => s?.connected);
    sockets.push(...connected);
    const sessionId = await startSession(connected[0]!);
    const answers = await Promise.all(
      connected.flatMap((s) =>
        Array.from({ length: EVENT_BURST }, (_, i) =>
          request(s, 'trial:submit', makeTrial(sessionId, i + 1, 10), 20_000).then((a) => a.ok),
        ),
      ),
    );
    const accepted = answers.filter(Boolean).length;
    console.log(
      `[flood] one device token opened ${connected.length} of 20 sockets; ${accepted} of ${answers.length} trials accepted at once`,
    );
    // One headset needs one socket (two across a reload); its budget should not grow with more.
    expect(accepted).toBeLessThanOrEqual(3 * EVENT_BURST);
  });
});
