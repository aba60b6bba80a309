import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { startServer, type RunningServer } from '../support/server';
import {
  SOCKETS_PER_TOKEN,
  benchTherapist,
  loginTokens,
  pairHeadsets,
  type PairedHeadset,
} from './fixtures';
import { CpuMeter } from './proc-stats';
import { result, type BenchResult } from './report';
import type { ChildMessage, LoadConfig, LoadStats, ParentMessage } from './relay-load';

const LOAD_SCRIPT = resolve(import.meta.dirname, 'relay-load.ts');
const KB = 1024;

interface RelayPlan {
  sessionCounts: number[];
  bandwidthHeadsets: number;
  warmupSeconds: number;
  measureSeconds: number;
}

const FULL: RelayPlan = {
  sessionCounts: [50, 100, 200, 500, 1000],
  bandwidthHeadsets: 20,
  warmupSeconds: 3,
  measureSeconds: 15,
};
const SMOKE: RelayPlan = {
  sessionCounts: [20],
  bandwidthHeadsets: 5,
  warmupSeconds: 1,
  measureSeconds: 2,
};

interface Measured {
  stats: LoadStats;
  server: { cpuPct: number; peakRssMB: number };
}

/** Runs one load in a forked process, measuring the server's CPU over the same window. */
function runLoad(server: RunningServer, config: LoadConfig): Promise<Measured> {
  const meter = new CpuMeter(server.process.pid!);
  const child = fork(LOAD_SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolveRun, reject) => {
    let serverStats: Measured['server'] | null = null;
    let settled = false;
    child.on('message', (message: ChildMessage) => {
      if (message.kind === 'phase' && message.phase === 'measuring') meter.begin();
      else if (message.kind === 'phase' && message.phase === 'draining') serverStats = meter.end();
      else if (message.kind === 'error') {
        settled = true;
        reject(new Error(`relay load generator failed: ${message.message}`));
      } else if (message.kind === 'result') {
        settled = true;
        resolveRun({ stats: message.stats, server: serverStats ?? meter.end() });
      }
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`relay load generator exited with ${code}`));
    });
    child.send({ kind: 'run', config } satisfies ParentMessage);
  });
}

function loadConfig(
  server: RunningServer,
  therapistTokens: string[],
  headsets: PairedHeadset[],
  plan: RelayPlan,
  overrides: Partial<LoadConfig>,
): LoadConfig {
  return {
    url: server.url,
    therapistTokens,
    headsets,
    rateHz: 30,
    warmupSeconds: plan.warmupSeconds,
    measureSeconds: plan.measureSeconds,
    drainSeconds: 1.5,
    input: 'hands',
    encoding: 'binary',
    watch: true,
    ...overrides,
  };
}

function sessionFigures(n: number, { stats, server }: Measured): BenchResult[] {
  const p = `relay.${n}`;
  return [
    result(`${p}.latencyMs.p50`, stats.latencyMs.p50, 'ms'),
    result(`${p}.latencyMs.p99`, stats.latencyMs.p99, 'ms'),
    result(`${p}.delivered`, stats.sent === 0 ? 0 : stats.delivered / stats.sent, 'ratio'),
    result(`${p}.serverCpuPct`, server.cpuPct, '% of one core'),
    result(`${p}.serverRssMB`, server.peakRssMB, 'MB peak'),
    result(`${p}.generatorCpuPct`, stats.generatorCpuPct, '% of one core (load generator)'),
    result(
      `${p}.generatorLateSends`,
      stats.lateSends / Math.max(1, stats.headsets * 30 * stats.measuredSeconds),
      'ratio of frames sent late (generator saturated)',
    ),
  ];
}

/** Wire bytes per frame at the nominal 30 Hz, so a generator that fell behind does not flatter it. */
const perHeadsetKBps = ({ stats }: Measured) =>
  stats.sent === 0 ? Number.NaN : ((stats.upstreamBytes / stats.sent) * 30) / KB;

/**
 * N simulated headsets and N watchers through the real server on loopback, one process each
 * for server and load generator; then upstream bandwidth per headset for hands, controllers and
 * a naive JSON encoding of the same hand poses, counted in TCP payload bytes on the wire.
 */
export async function benchRelay(options: { smoke: boolean }): Promise<BenchResult[]> {
  const plan = options.smoke ? SMOKE : FULL;
  const server = await startServer({ env: { LOG_LEVEL: 'error' } });
  try {
    const therapist = await benchTherapist(server);
    const most = Math.max(...plan.sessionCounts, plan.bandwidthHeadsets);
    const headsets = await pairHeadsets(server.url, therapist.token, most);
    const therapistTokens = await loginTokens(
      server.url,
      therapist,
      Math.ceil(most / SOCKETS_PER_TOKEN),
    );
    const results: BenchResult[] = [];
    for (const n of plan.sessionCounts) {
      const measured = await runLoad(
        server,
        loadConfig(server, therapistTokens, headsets.slice(0, n), plan, {}),
      );
      results.push(...sessionFigures(n, measured));
    }

    const bandwidth = (overrides: Partial<LoadConfig>) =>
      runLoad(
        server,
        loadConfig(server, therapistTokens, headsets.slice(0, plan.bandwidthHeadsets), plan, {
          watch: false,
          ...overrides,
        }),
      );
    const hands = await bandwidth({ input: 'hands' });
    const controllers = await bandwidth({ input: 'controllers' });
    const json = await bandwidth({ input: 'hands', encoding: 'json' });
    results.push(
      result('relay.bandwidth.handsKBps', perHeadsetKBps(hands), 'KB/s per headset, on the wire'),
      result(
        'relay.bandwidth.controllersKBps',
        perHeadsetKBps(controllers),
        'KB/s per headset, on the wire',
      ),
      result(
        'relay.bandwidth.jsonHandsKBps',
        perHeadsetKBps(json),
        'KB/s per headset, on the wire',
      ),
      result(
        'relay.bandwidth.jsonToBinaryRatio',
        perHeadsetKBps(json) / perHeadsetKBps(hands),
        'x (JSON / binary, hands)',
      ),
      result('relay.bandwidth.handsPayloadBytes', hands.stats.payloadBytes, 'B per frame, payload'),
      result(
        'relay.bandwidth.controllersPayloadBytes',
        controllers.stats.payloadBytes,
        'B per frame, payload',
      ),
      result(
        'relay.bandwidth.jsonHandsPayloadBytes',
        json.stats.payloadBytes,
        'B per frame, payload',
      ),
    );
    return results;
  } finally {
    await server.close();
  }
}
