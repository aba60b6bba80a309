// The clinical core's metrics for researchers: reads a CSV of samples and prints JSON. It lives
// outside shared/ because it uses Node (the file system, the process).
import { readFileSync } from 'node:fs';
import { computeReachMetrics } from '../../shared/clinical/kinematics/metrics';
import type { ReachAnalysisConfig, ReachInput } from '../../shared/clinical/kinematics/metrics';
import type { Vec3 } from '../../shared/clinical/types';

const USAGE = `Usage: npm run metrics -- samples.csv [--target x,y,z] [--tgo s] [--radius m] [--fs Hz] [--filter Hz]

samples.csv has a header row: t,hand_x,hand_y,hand_z[,head_x,head_y,head_z][,target_x,target_y,target_z]
(seconds and metres). The target comes from --target or from the target_* columns (first row).
tGo defaults to the first sample time. Prints the metrics as JSON.`;

function parseVec(s: string, what: string): Vec3 {
  const v = s.split(',').map(Number);
  if (v.length !== 3 || !v.every(Number.isFinite))
    throw new Error(`${what} must be x,y,z, got "${s}"`);
  return v as Vec3;
}

export function parseArgs(argv: string[]) {
  const opts: Record<string, string> = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') opts.help = '1';
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) opts[a.slice(2, eq)] = a.slice(eq + 1);
      else opts[a.slice(2)] = argv[++i] ?? '';
    } else files.push(a);
  }
  return { opts, files };
}

/** Builds the library input from CSV text; throws with a message a researcher can act on. */
export function inputFromCsv(text: string, opts: Record<string, string>): ReachInput {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length < 2) throw new Error('the CSV needs a header row and at least one sample');
  const header = lines[0]!.split(',').map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const need = ['t', 'hand_x', 'hand_y', 'hand_z'];
  const missing = need.filter((n) => col(n) < 0);
  if (missing.length) throw new Error(`missing column(s): ${missing.join(', ')}`);
  const hasHead = ['head_x', 'head_y', 'head_z'].every((n) => col(n) >= 0);
  const rows = lines
    .slice(1)
    .map((l) => l.split(',').map((c) => (c.trim() === '' ? NaN : Number(c))));
  const get = (r: number[], name: string) => r[col(name)] ?? NaN;
  const t = rows.map((r) => get(r, 't'));
  const hand = rows.map((r) => [get(r, 'hand_x'), get(r, 'hand_y'), get(r, 'hand_z')] as Vec3);
  const head = hasHead
    ? rows.map((r) => [get(r, 'head_x'), get(r, 'head_y'), get(r, 'head_z')] as Vec3)
    : undefined;
  let target: Vec3;
  if (opts.target) target = parseVec(opts.target, '--target');
  else if (['target_x', 'target_y', 'target_z'].every((n) => col(n) >= 0)) {
    const r = rows[0]!;
    target = [get(r, 'target_x'), get(r, 'target_y'), get(r, 'target_z')];
  } else
    throw new Error('give the target with --target x,y,z or target_x,target_y,target_z columns');
  const tGo = opts.tgo !== undefined ? Number(opts.tgo) : (t.find(Number.isFinite) ?? 0);
  if (!Number.isFinite(tGo)) throw new Error('--tgo must be a number of seconds');
  const input: ReachInput = { t, hand, tGo, target };
  if (head) input.head = head;
  if (opts.radius !== undefined) input.targetRadius = Number(opts.radius);
  if (opts.fs !== undefined) input.fs = Number(opts.fs);
  return input;
}

function main(argv: string[]): number {
  const { opts, files } = parseArgs(argv);
  if (opts.help || files.length !== 1) {
    (opts.help ? console.log : console.error)(USAGE);
    return opts.help ? 0 : 2;
  }
  try {
    const input = inputFromCsv(readFileSync(files[0]!, 'utf8'), opts);
    const config: Partial<ReachAnalysisConfig> = {};
    if (opts.filter !== undefined) config.filterHz = Number(opts.filter);
    const metrics = computeReachMetrics(input, config);
    console.log(JSON.stringify(metrics, null, 2));
    return 0;
  } catch (e) {
    console.error(`metrics: ${(e as Error).message}\n\n${USAGE}`);
    return 1;
  }
}

// Run only when executed, so tests can import the parsers.
const entry = process.argv[1] ?? '';
if (/cli[\\/]metrics\.(ts|js)$/.test(entry)) process.exitCode = main(process.argv.slice(2));
