/**
 * The live-relay load generator, run as its own process (forked by relay.ts) so its work does not
 * count as the server's. It opens one simulated headset and one watching therapist per paired
 * patient, streams pose frames at 30 Hz from each headset and times every frame from the
 * headset's send to the watcher's receipt on one clock (this process's performance.now()).
 */
import { randomUUID } from 'node:crypto';
import type { Socket as NetSocket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import {
  createPoseFrame,
  encodePoseFrame,
  MAX_POSE_FRAME_BYTES,
  poseFrameFromBase64,
  poseFrameToBase64,
  type PoseFrame,
} from '../../shared/protocol';
import type { PairedHeadset } from './fixtures';
import { poseFrameToJson, simulatePose } from './pose-sim';
import { quantile, sortedCopy } from './report';
import { SOCKETS_PER_TOKEN } from './fixtures';
import { connect, inBatches, request } from './sockets';

export type PoseEncoding = 'binary' | 'json';

export interface LoadConfig {
  /** Where the headsets connect. */
  url: string;
  /** Where the watchers connect (another process of the clinic); `url` when unset. */
  watchUrl?: string;
  /** The server allows 4 open sockets per token: watcher i uses token floor(i / 4). */
  therapistTokens: string[];
  headsets: PairedHeadset[];
  rateHz: number;
  warmupSeconds: number;
  measureSeconds: number;
  drainSeconds: number;
  input: 'hands' | 'controllers';
  encoding: PoseEncoding;
  /** Watchers are needed for latency; a bandwidth run can go without. */
  watch: boolean;
}

export interface LoadStats {
  headsets: number;
  sent: number;
  delivered: number;
  latencyMs: { p50: number; p99: number; max: number };
  measuredSeconds: number;
  /** TCP payload bytes written by all headsets / read by all watchers while measuring. */
  upstreamBytes: number;
  downstreamBytes: number;
  /** Mean size of one encoded pose payload (before Socket.IO framing). */
  payloadBytes: number;
  /** Frames that went out late because this process could not keep up (a saturated generator). */
  lateSends: number;
  generatorCpuPct: number;
  generatorLoopDelayP99Ms: number;
  serverErrors: number;
}

export type ParentMessage = { kind: 'run'; config: LoadConfig };
export type ChildMessage =
  | { kind: 'phase'; phase: 'measuring' | 'draining' }
  | { kind: 'result'; stats: LoadStats }
  | { kind: 'error'; message: string };

type AnySocket = Socket;

/** Send times per headset, by sequence number, ~34 s deep at 30 Hz. */
const RING = 1024;

const send = (message: ChildMessage) => process.send!(message);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The TCP socket under a Socket.IO client, for counting bytes on the wire. */
function tcpOf(socket: AnySocket): NetSocket | null {
  const transport = (
    socket.io.engine as unknown as { transport?: { ws?: { _socket?: NetSocket } } }
  ).transport;
  return transport?.ws?._socket ?? null;
}

async function run(config: LoadConfig): Promise<LoadStats> {
  const n = config.headsets.length;
  const periodMs = 1000 / config.rateHz;
  const sentAt = new Float64Array(n * RING);
  const sentSeq = new Int32Array(n * RING).fill(-1);
  const sequence = new Uint32Array(n);
  const nextSendAt = new Float64Array(n);
  const frames: PoseFrame[] = Array.from({ length: n }, createPoseFrame);
  const scratch = new Uint8Array(MAX_POSE_FRAME_BYTES);
  const scratchView = new DataView(scratch.buffer);
  const received = new Uint8Array(MAX_POSE_FRAME_BYTES);
  const latencies: number[] = [];
  let measureFrom = Number.POSITIVE_INFINITY;
  let measureTo = Number.POSITIVE_INFINITY;
  let sent = 0;
  let delivered = 0;
  let lateSends = 0;
  let payloadBytes = 0;
  let payloads = 0;
  let serverErrors = 0;

  const devices = await inBatches(n, async (i) => {
    const device = await connect(config.url, config.headsets[i]!.deviceToken);
    device.on('server:error', () => serverErrors++);
    await request(device, 'session:start', {
      sessionId: randomUUID(),
      mode: 'live',
      startedAt: new Date().toISOString(),
    });
    return device;
  });
  const watchers = config.watch
    ? await inBatches(n, async (i) => {
        const watcher = await connect(
          config.watchUrl ?? config.url,
          config.therapistTokens[Math.floor(i / SOCKETS_PER_TOKEN)]!,
        );
        watcher.on('live:pose', ([, frame]: [string, string]) => {
          const now = performance.now();
          const bytes = poseFrameFromBase64(frame, received);
          if (bytes === null || bytes.byteLength < 4) return;
          const seq = bytes[2]! | (bytes[3]! << 8);
          const slot = i * RING + (seq % RING);
          if ((sentSeq[slot]! & 0xffff) !== seq) return;
          const at = sentAt[slot]!;
          if (at < measureFrom || at >= measureTo) return;
          delivered++;
          latencies.push(now - at);
        });
        await request(watcher, 'patient:watch', { patientId: config.headsets[i]!.patientId });
        return watcher;
      })
    : [];

  const sendFrame = (i: number, now: number) => {
    const frame = frames[i]!;
    const seq = sequence[i]!;
    sequence[i] = seq + 1;
    frame.sequence = seq & 0xffff;
    simulatePose(frame, now / 1000 + i, config.input);
    const slot = i * RING + (frame.sequence % RING);
    sentSeq[slot] = seq;
    sentAt[slot] = now;
    if (config.encoding === 'binary') {
      const payload = poseFrameToBase64(scratch, encodePoseFrame(frame, scratchView));
      payloadBytes += payload.length;
      devices[i]!.emit('pose:frame', payload);
    } else {
      const payload = poseFrameToJson(frame);
      payloadBytes += Buffer.byteLength(JSON.stringify(payload));
      devices[i]!.emit('pose:frame', payload);
    }
    payloads++;
    if (now >= measureFrom && now < measureTo) sent++;
  };

  const start = performance.now();
  for (let i = 0; i < n; i++) nextSendAt[i] = start + (i / n) * periodMs;
  let sending = true;
  const tick = () => {
    if (!sending) return;
    const now = performance.now();
    for (let i = 0; i < n; i++) {
      const due = nextSendAt[i]!;
      if (due > now) continue;
      sendFrame(i, now);
      // A generator that fell behind skips ahead rather than bursting, and says so.
      if (now - due > periodMs) {
        lateSends++;
        nextSendAt[i] = now + periodMs;
      } else nextSendAt[i] = due + periodMs;
    }
  };
  const timer = setInterval(tick, 1);

  await sleep(config.warmupSeconds * 1000);
  const bytesNow = (sockets: AnySocket[], key: 'bytesWritten' | 'bytesRead') =>
    sockets.reduce((sum, s) => sum + (tcpOf(s)?.[key] ?? 0), 0);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  send({ kind: 'phase', phase: 'measuring' });
  const up0 = bytesNow(devices, 'bytesWritten');
  const down0 = bytesNow(watchers, 'bytesRead');
  const cpu0 = process.cpuUsage();
  measureFrom = performance.now();
  loopDelay.enable();
  await sleep(config.measureSeconds * 1000);
  measureTo = performance.now();
  loopDelay.disable();
  const cpu = process.cpuUsage(cpu0);
  const upstreamBytes = bytesNow(devices, 'bytesWritten') - up0;
  const downstreamBytes = bytesNow(watchers, 'bytesRead') - down0;
  send({ kind: 'phase', phase: 'draining' });
  sending = false;
  clearInterval(timer);
  await sleep(config.drainSeconds * 1000);

  for (const s of [...devices, ...watchers]) s.close();
  const measuredSeconds = (measureTo - measureFrom) / 1000;
  const sorted = sortedCopy(latencies);
  return {
    headsets: n,
    sent,
    delivered,
    latencyMs: {
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
    },
    measuredSeconds,
    upstreamBytes,
    downstreamBytes,
    payloadBytes: payloads === 0 ? 0 : payloadBytes / payloads,
    lateSends,
    generatorCpuPct: ((cpu.user + cpu.system) / 1e6 / measuredSeconds) * 100,
    generatorLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    serverErrors,
  };
}

process.once('message', (message: ParentMessage) => {
  run(message.config).then(
    (stats) => {
      send({ kind: 'result', stats });
      process.disconnect();
    },
    (err: unknown) => {
      send({
        kind: 'error',
        message: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      process.disconnect();
    },
  );
});
