/**
 * `npm run bench`: every benchmark, a table, tests/bench/results.json and the README's table.
 * `npm run bench -- --smoke`: a short run for CI that fails only when a benchmark crashes, never on
 * a figure (shared, noisy machines). Smoke and `--only=relay,headset` (or `--only='headset worlds'`) runs write
 * test-output/bench-partial.json instead, leaving the committed results alone.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { benchClinical } from './clinical';
import { benchHeadset, benchHeadsetWorlds } from './headset';
import { benchLoadSize } from './load-size';
import { benchOutboxJournal } from './outbox-journal';
import { benchPersonal } from './personal';
import { benchRecords } from './records';
import { benchRelay, benchRelayCluster } from './relay';
import { WORLD_NAMES } from '../../client/patient/worlds/registry';
import {
  currentCommit,
  machineInfo,
  markdownTable,
  result,
  textTable,
  writeResultsJson,
  type BenchResult,
  type Budget,
} from './report';

const ROOT = resolve(import.meta.dirname, '../..');
const HERE = import.meta.dirname;
const TABLE_START = '<!-- bench-table:start -->';
const TABLE_END = '<!-- bench-table:end -->';

export const BUDGETS: readonly Budget[] = [
  { name: 'headset.appFrameMs.p99', max: 2 },
  { name: 'headset.drawCalls', max: 100 },
  { name: 'headset.heapGrowthMB', max: 1 },
  { name: 'load.patientBeforeEnterVR.gzipKB', max: 500 },
  { name: 'load.patientTotal.gzipKB', max: 2048 },
  { name: 'relay.500.latencyMs.p99', max: 50 },
  { name: 'relay.500.delivered', min: 0.99 },
  { name: 'relay.bandwidth.handsKBps', max: 12 },
  { name: 'relay.bandwidth.controllersKBps', max: 3 },
  { name: 'records.sqlite.trialsPerSec', min: 200 },
  { name: 'records.postgres.trialsPerSec', min: 200 },
  { name: 'personal.trialUpdateMs.median', max: 0.5 },
  { name: 'personal.panelDrawn10kTrialsMs.median', max: 200 },
  ...WORLD_NAMES.flatMap((world): Budget[] => [
    { name: `headset.${world}.appFrameMs.p99`, max: 2 },
    { name: `headset.${world}.drawCalls`, max: 100 },
    { name: `headset.${world}.triangles`, max: 300_000 },
    { name: `load.world.${world}.gzipKB`, max: 1500 },
  ]),
];

interface Section {
  name: string;
  run: (options: { smoke: boolean }) => Promise<BenchResult[]>;
}

const SECTIONS: Section[] = [
  { name: 'clinical', run: () => benchClinical() },
  { name: 'personal', run: () => benchPersonal() },
  { name: 'outbox journal', run: async () => benchOutboxJournal() },
  { name: 'load size', run: () => benchLoadSize() },
  { name: 'records', run: benchRecords },
  { name: 'relay', run: benchRelay },
  { name: 'relay cluster', run: benchRelayCluster },
  { name: 'headset', run: benchHeadset },
  { name: 'headset worlds', run: benchHeadsetWorlds },
];

function updateReadmeTable(markdown: string, commit: string) {
  const path = join(HERE, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return;
  const { cpu, cores } = machineInfo();
  const header = `Commit \`${commit}\`, ${cpu}, ${cores} cores, ${new Date().toISOString().slice(0, 10)}.`;
  const table = `${TABLE_START}\n${header}\n\n${markdown}\n`;
  writeFileSync(path, readme.slice(0, start) + table + readme.slice(end));
}

async function main() {
  const smoke = process.argv.includes('--smoke');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const results: BenchResult[] = [result('machine.loadAvg1m.start', loadavg()[0]!, 'load average')];
  const crashes: string[] = [];
  for (const section of SECTIONS) {
    if (only !== undefined && !only.split(',').includes(section.name)) continue;
    const started = performance.now();
    console.log(`bench: ${section.name}...`);
    try {
      results.push(...(await section.run({ smoke })));
    } catch (err) {
      crashes.push(section.name);
      console.error(`bench: ${section.name} crashed:`, err);
    }
    console.log(
      `bench: ${section.name} took ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  results.push(result('machine.loadAvg1m.end', loadavg()[0]!, 'load average'));

  console.log(`\n${textTable(results, BUDGETS)}\n`);
  const commit = currentCommit(ROOT);
  if (smoke || only !== undefined) {
    mkdirSync(join(ROOT, 'test-output'), { recursive: true });
    writeResultsJson(join(ROOT, 'test-output/bench-partial.json'), commit, results);
  } else {
    writeResultsJson(join(HERE, 'results.json'), commit, results);
    updateReadmeTable(markdownTable(results, BUDGETS), commit);
  }
  if (crashes.length > 0) {
    console.error(`bench: crashed: ${crashes.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
