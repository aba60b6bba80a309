import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import type { Trial } from '../../shared/protocol';
import { startServer } from '../support/server';
import { makeTrial, TRIAL_METRICS } from '../support/trials';
import { benchTherapist, httpJson, pairHeadsets } from './fixtures';
import { CpuMeter } from './proc-stats';
import { quantile, result, skipped, sortedCopy, type BenchResult } from './report';
import { connect, inBatches, request } from './sockets';

/** Full rate: 3 s at 90 Hz, as the headset records every trial. */
const SAMPLES = 270;
const FS = 90;
/**
 * Many headsets, each below the server's per-socket budget of 40 events at once (then 20/s), so
 * the figure is the storage's pace, not the rate limiter's.
 */
const FULL = { headsets: 64, trialsPerHeadset: 31, inFlightPerHeadset: 4 };
const SMOKE = { headsets: 4, trialsPerHeadset: 10, inFlightPerHeadset: 4 };

/** Full-rate samples give the smoothness measures and later movement indices. */
const METRICS: Trial['metrics'] = {
  ...TRIAL_METRICS,
  normalizedJerk: 120,
  meanJerk: 3.2,
  iOnset: 40,
  iPeak: 80,
  iOffset: 130,
};

type V3 = [number, number, number];

/** A trial with full-precision samples (what JSON.stringify of float math really sends). */
export function benchTrial(sessionId: string, trialNumber: number): Trial {
  const start = Date.UTC(2026, 0, 5, 10, 0, 0) + trialNumber * 5000;
  const t: number[] = [];
  const hand: V3[] = [];
  const otherHand: V3[] = [];
  const head: V3[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const s = i / FS;
    const q = Math.min(1, Math.max(0, s - 0.5));
    const reach = 10 * q ** 3 - 15 * q ** 4 + 6 * q ** 5;
    t.push(s);
    hand.push([
      0.1 + 0.18 * reach + 1e-4 * Math.sin(i),
      1.2 + 0.01 * Math.cos(i),
      0.2 + 0.24 * reach,
    ]);
    otherHand.push([-0.25 + 1e-4 * Math.sin(i * 0.7), 0.85, -0.15]);
    head.push([0.1 + 0.03 * reach, 1.6 + 1e-3 * Math.sin(i * 0.1), 0.03 * reach]);
  }
  return {
    ...makeTrial(sessionId, trialNumber, 0, { startMs: start, levelBefore: 40 }),
    endedAt: new Date(start + 3000).toISOString(),
    target: [0.28, 1.2, 0.44],
    outcome: 'hit',
    tContact: 1.4,
    metrics: METRICS,
    samples: { fs: FS, t, hand, otherHand, head },
  };
}

interface Headset {
  socket: Socket;
  sessionId: string;
  trials: Trial[];
}

async function submitAll(headsets: Headset[], inFlight: number) {
  const ackMs: number[] = [];
  let rejected = 0;
  const started = performance.now();
  await Promise.all(
    headsets.map((h) =>
      inBatches(
        h.trials.length,
        async (i) => {
          const t0 = performance.now();
          try {
            await request(h.socket, 'trial:submit', h.trials[i]);
            ackMs.push(performance.now() - t0);
          } catch {
            rejected++;
          }
        },
        inFlight,
      ),
    ),
  );
  return { seconds: (performance.now() - started) / 1000, ackMs: sortedCopy(ackMs), rejected };
}

async function benchStore(
  label: 'sqlite' | 'postgres',
  databaseUrl: string | null,
  plan: typeof FULL,
): Promise<BenchResult[]> {
  const env: Record<string, string> = { LOG_LEVEL: 'error' };
  if (databaseUrl !== null) env.DATABASE_URL = databaseUrl;
  const server = await startServer({ env });
  const sockets: Socket[] = [];
  try {
    const therapist = await benchTherapist(server, env);
    const paired = await pairHeadsets(server.url, therapist.token, plan.headsets);
    const headsets = await inBatches(paired.length, async (i) => {
      const socket = await connect(server.url, paired[i]!.deviceToken);
      sockets.push(socket);
      const sessionId = randomUUID();
      await request(socket, 'session:start', {
        sessionId,
        mode: 'live',
        startedAt: new Date().toISOString(),
      });
      const trials = Array.from({ length: plan.trialsPerHeadset }, (_, n) =>
        benchTrial(sessionId, n + 1),
      );
      return { socket, sessionId, trials };
    });

    const meter = new CpuMeter(server.process.pid!);
    meter.begin();
    const { seconds, ackMs, rejected } = await submitAll(headsets, plan.inFlightPerHeadset);
    const serverUse = meter.end();
    const committed = ackMs.length;
    if (committed === 0) throw new Error(`records.${label}: the server committed no trial`);

    // An acknowledgement must mean stored: read one session back.
    const first = headsets[0]!;
    const stored = await httpJson<{ trials: unknown[] }>(
      server.url,
      'GET',
      `/api/sessions/${first.sessionId}`,
      { token: therapist.token },
    );
    const storedCount = stored.body.trials?.length ?? 0;
    if (rejected === 0 && storedCount !== first.trials.length) {
      throw new Error(
        `records.${label}: acknowledged ${first.trials.length}, stored ${storedCount}`,
      );
    }

    const p = `records.${label}`;
    return [
      result(`${p}.trialsPerSec`, committed / seconds, `trials/s (${SAMPLES} samples each)`),
      result(`${p}.ackMs.p50`, quantile(ackMs, 0.5), 'ms'),
      result(`${p}.ackMs.p99`, quantile(ackMs, 0.99), 'ms'),
      result(`${p}.rejected`, rejected, 'trials'),
      result(`${p}.serverCpuPct`, serverUse.cpuPct, '% of one core'),
    ];
  } finally {
    for (const s of sockets) s.close();
    await server.close();
  }
}

/** Trials committed per second through trial:submit with acks, to SQLite and PostgreSQL. */
export async function benchRecords(options: { smoke: boolean }): Promise<BenchResult[]> {
  const plan = options.smoke ? SMOKE : FULL;
  const results = await benchStore('sqlite', null, plan);
  const postgres = process.env.TEST_DATABASE_URL;
  if (postgres === undefined || postgres === '') {
    results.push(skipped('records.postgres.trialsPerSec', 'TEST_DATABASE_URL not set'));
  } else {
    results.push(...(await benchStore('postgres', postgres, plan)));
  }
  return results;
}
