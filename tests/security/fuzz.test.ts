import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, type RunningServer } from '../support/server';
import type { FuzzConfig, FuzzReport } from './fuzz-client';
import {
  api,
  connect,
  loose,
  makeTrial,
  pairDevice,
  PASSWORD,
  percentile,
  poseFrameText,
  poseSequence,
  request,
  rssMiB,
  setUpClinic,
  shutdown,
  sleep,
  type Clinic,
  type TestSocket,
} from './harness';

const ROOT = resolve(import.meta.dirname, '../..');
const FUZZ_MESSAGES = Number(process.env.FUZZ_MESSAGES ?? 10_000);
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_260_105);

/**
 * Another clinic's live session, measured while the fuzzer runs: its headset sends 30 pose frames
 * a second, its therapist receives them; latency is receive time minus send time (one clock).
 */
class CleanRelay {
  private readonly sentAt = new Map<number, number>();
  private latencies: number[] = [];
  private sequence = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly device: TestSocket,
    therapist: TestSocket,
  ) {
    loose(therapist).on('live:pose', (raw) => {
      const [, frame] = raw as [string, string];
      const sent = this.sentAt.get(poseSequence(frame));
      if (sent !== undefined) this.latencies.push(performance.now() - sent);
    });
  }

  start(): void {
    this.timer = setInterval(() => {
      this.sequence = (this.sequence + 1) & 0xffff;
      this.sentAt.set(this.sequence, performance.now());
      this.device.emit('pose:frame', poseFrameText(this.sequence));
    }, 33);
  }

  /** Latencies since the last call, and how many frames were sent meanwhile. */
  take(): { latencies: number[]; sent: number } {
    const taken = { latencies: this.latencies, sent: this.sentAt.size };
    this.latencies = [];
    this.sentAt.clear();
    return taken;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function runFuzzer(config: FuzzConfig): Promise<FuzzReport> {
  return new Promise((resolveReport, reject) => {
    // Niced, so on a small machine the fuzzer's own CPU use does not pass for the server's slowness.
    const child = spawn(
      'nice',
      ['-n', '19', resolve(ROOT, 'node_modules/.bin/tsx'), 'tests/security/fuzz-client.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, FUZZ_CONFIG: JSON.stringify(config) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('FUZZ_REPORT '));
      if (code === 0 && line)
        resolveReport(JSON.parse(line.slice('FUZZ_REPORT '.length)) as FuzzReport);
      else reject(new Error(`fuzzer exited ${code}:\n${out.slice(-4000)}`));
    });
  });
}

describe(`fuzzing every client event (${FUZZ_MESSAGES} messages)`, () => {
  let server: RunningServer;
  let target: Clinic;
  let bystander: Clinic;
  const sockets: TestSocket[] = [];
  let relay: CleanRelay;
  let pid: number;

  beforeAll(async () => {
    server = await startServer();
    pid = server.process.pid!;
    target = await setUpClinic(server, 'fuzzed');
    bystander = await setUpClinic(server, 'bystander');
    const therapist = await connect(server.url, bystander.therapistToken);
    const device = await connect(server.url, bystander.deviceToken);
    sockets.push(therapist, device);
    await request(therapist, 'patient:watch', { patientId: bystander.patientId });
    await request(device, 'session:start', {
      sessionId: randomUUID(),
      mode: 'live',
      startedAt: new Date().toISOString(),
    });
    relay = new CleanRelay(device, therapist);
  });

  afterAll(async () => {
    relay?.stop();
    for (const s of sockets) s.close();
    await shutdown(server);
  });

  it('stays up, answers with typed errors, keeps memory bounded and another session unaffected', async () => {
    relay.start();
    await sleep(1000);
    relay.take();
    await sleep(5000);
    const before = relay.take();
    const rssBefore = await rssMiB(pid);

    const sessionId = randomUUID();
    const device = await connect(server.url, target.deviceToken);
    await request(device, 'session:start', {
      sessionId,
      mode: 'live',
      startedAt: new Date().toISOString(),
    });
    device.close();
    // 30 sockets at most 4 per token: 20 on 5 device tokens, 10 on 3 therapist logins.
    const extraDeviceTokens: string[] = [];
    for (let i = 0; i < 4; i++) {
      extraDeviceTokens.push(
        (await pairDevice(server.url, target.therapistToken, target.patientId)).deviceToken,
      );
    }
    const extraTherapistTokens: string[] = [target.therapistToken];
    for (let i = 0; i < 2; i++)
      extraTherapistTokens.push(await login(server.url, 'fuzzed', PASSWORD));
    const report = await runFuzzer({
      url: server.url,
      deviceTokens: [target.deviceToken, ...extraDeviceTokens],
      therapistTokens: extraTherapistTokens,
      sessionId,
      patientId: target.patientId,
      messages: FUZZ_MESSAGES,
      seed: FUZZ_SEED,
      sockets: 30,
      perSocketPerSecond: 15,
    });
    const during = relay.take();
    const rssAfter = await rssMiB(pid);

    const p99Before = percentile(before.latencies, 99);
    const p99During = percentile(during.latencies, 99);
    console.log(
      [
        `[fuzz] injected ${report.sent} messages (${report.rawPackets} raw packets, ${report.acked} with ack) in ${report.durationMs} ms, seed ${report.seed}`,
        `[fuzz] answers: ok ${report.ackOk}, typed errors ${JSON.stringify(report.ackErrors)}, untyped ${report.untypedAnswers}, unanswered ${report.unanswered}, lost to server-closed sockets ${report.lostToDisconnect}`,
        `[fuzz] server:error ${JSON.stringify(report.serverErrors)}; disconnects ${JSON.stringify(report.disconnects)}`,
        `[fuzz] server RSS ${rssBefore.toFixed(1)} -> ${rssAfter.toFixed(1)} MiB`,
        `[fuzz] bystander relay: before p50 ${percentile(before.latencies, 50).toFixed(1)} p99 ${p99Before.toFixed(1)} ms (${before.latencies.length}/${before.sent} frames); during p50 ${percentile(during.latencies, 50).toFixed(1)} p99 ${p99During.toFixed(1)} ms (${during.latencies.length}/${during.sent} frames)`,
      ].join('\n'),
    );

    expect(report.sent).toBeGreaterThanOrEqual(FUZZ_MESSAGES);
    expect(report.untypedAnswers).toBe(0);
    expect(report.unanswered).toBe(0);
    expect(
      report.ackOk + Object.values(report.ackErrors).reduce((a, b) => a + b, 0),
    ).toBeGreaterThan(report.acked * 0.9);
    expect(Object.keys(report.ackErrors)).toContain('invalid_payload');

    // Still the same process, healthy, and still doing real work.
    expect(server.process.pid).toBe(pid);
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
    const check = await connect(server.url, bystander.deviceToken);
    sockets.push(check);
    const trialSession = randomUUID();
    await request(check, 'session:start', {
      sessionId: trialSession,
      mode: 'live',
      startedAt: new Date().toISOString(),
    });
    expect(await request(check, 'trial:submit', makeTrial(trialSession, 1))).toMatchObject({
      ok: true,
      data: { duplicate: false },
    });
    expect(server.output()).not.toMatch(/uncaught exception|unhandled rejection/);

    expect(rssAfter - rssBefore).toBeLessThan(150);
    // The bystander keeps its live view: (almost) every frame arrives, and the tail stays short.
    expect(during.latencies.length).toBeGreaterThan(during.sent * 0.95);
    expect(p99During).toBeLessThan(Math.max(100, p99Before * 5));
  });
});
