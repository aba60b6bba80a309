import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createScratchPgDatabase } from '../integration/databases';
import { startServer, type RunningServer } from '../support/server';
import {
  SOCKETS_PER_TOKEN,
  benchTherapist,
  loginTokens,
  pairHeadsets,
  type PairedHeadset,
} from './fixtures';
import { CpuMeter } from './proc-stats';
import { result, skipped, type BenchResult } from './report';
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
async function runLoad(server: RunningServer, config: LoadConfig): Promise<Measured> {
  const { stats, servers } = await runLoadOn([server], config);
  return { stats, server: servers[0]! };
}

/** One load against one or more server processes, the CPU of each measured over the window. */
function runLoadOn(
  servers: RunningServer[],
  config: LoadConfig,
): Promise<{ stats: LoadStats; servers: Measured['server'][] }> {
  const meters = servers.map((s) => new CpuMeter(s.process.pid!));
  const child = fork(LOAD_SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolveRun, reject) => {
    let serverStats: Measured['server'][] | null = null;
    let settled = false;
    child.on('message', (message: ChildMessage) => {
      if (message.kind === 'phase' && message.phase === 'measuring')
        for (const meter of meters) meter.begin();
      else if (message.kind === 'phase' && message.phase === 'draining')
        serverStats = meters.map((meter) => meter.end());
      else if (message.kind === 'error') {
        settled = true;
        reject(new Error(`relay load generator failed: ${message.message}`));
      } else if (message.kind === 'result') {
        settled = true;
        resolveRun({
          stats: message.stats,
          servers: serverStats ?? meters.map((meter) => meter.end()),
        });
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

const CLUSTER_FULL = [200, 500];
const CLUSTER_SMOKE = [20];

const latencyFigures = (prefix: string, stats: LoadStats): BenchResult[] => [
  result(`${prefix}.latencyMs.p50`, stats.latencyMs.p50, 'ms'),
  result(`${prefix}.latencyMs.p99`, stats.latencyMs.p99, 'ms'),
  result(`${prefix}.delivered`, stats.sent === 0 ? 0 : stats.delivered / stats.sent, 'ratio'),
];

/**
 * Two server processes of one clinic (Redis adapter and limits, one database): N headsets on
 * the first, their watchers on the second, so every frame crosses Redis; then, in the same run,
 * the same N with headsets and watchers both on the first process, for the ratio.
 */
export async function benchRelayCluster(options: { smoke: boolean }): Promise<BenchResult[]> {
  const counts = options.smoke ? CLUSTER_SMOKE : CLUSTER_FULL;
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!redisUrl)
    return counts.map((n) =>
      skipped(`relay.cluster.${n}.latencyMs.p99`, 'TEST_REDIS_URL not set (source .ci/services)'),
    );
  const plan = options.smoke ? SMOKE : FULL;
  const pgUrl = process.env.TEST_DATABASE_URL;
  const scratch = pgUrl ? await createScratchPgDatabase(pgUrl) : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'reach-bench-cluster-'));
  const env: Record<string, string> = {
    LOG_LEVEL: 'error',
    REDIS_URL: redisUrl,
    REDIS_CHANNEL_PREFIX: `reach-bench-${randomBytes(4).toString('hex')}`,
    TOKEN_SECRET: randomBytes(32).toString('hex'),
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
  };
  const servers: RunningServer[] = [];
  try {
    servers.push(await startServer({ dataDir, env }));
    servers.push(await startServer({ dataDir, env }));
    const [headsetSide, watcherSide] = servers as [RunningServer, RunningServer];
    const therapist = await benchTherapist(headsetSide, env);
    const most = Math.max(...counts);
    const headsets = await pairHeadsets(headsetSide.url, therapist.token, most);
    const therapistTokens = await loginTokens(
      headsetSide.url,
      therapist,
      Math.ceil(most / SOCKETS_PER_TOKEN),
    );
    const results: BenchResult[] = [];
    for (const n of counts) {
      const config = loadConfig(headsetSide, therapistTokens, headsets.slice(0, n), plan, {});
      const crossing = await runLoadOn(servers, { ...config, watchUrl: watcherSide.url });
      const alone = await runLoadOn([headsetSide], config);
      const p = `relay.cluster.${n}`;
      results.push(
        ...latencyFigures(p, crossing.stats),
        result(`${p}.headsetProcessCpuPct`, crossing.servers[0]!.cpuPct, '% of one core'),
        result(`${p}.watcherProcessCpuPct`, crossing.servers[1]!.cpuPct, '% of one core'),
        result(`${p}.generatorCpuPct`, crossing.stats.generatorCpuPct, '% of one core'),
        ...latencyFigures(`${p}.oneProcess`, alone.stats),
        result(`${p}.oneProcess.serverCpuPct`, alone.servers[0]!.cpuPct, '% of one core'),
        result(
          `${p}.p99Ratio`,
          crossing.stats.latencyMs.p99 / alone.stats.latencyMs.p99,
          'x (two processes / one)',
        ),
      );
    }
    return results;
  } finally {
    for (const s of servers) await s.close({ keepData: true });
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
