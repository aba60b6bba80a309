import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

/** A budget a figure is held to: `max` or `min` (inclusive), shown in the table. */
export interface Budget {
  name: string;
  max?: number;
  min?: number;
}

/** Nearest-rank quantile of an ascending array (no interpolation, so values were really seen). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (sorted: ArrayLike<number>): number => quantile(sorted, 0.5);

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export const result = (name: string, value: number, unit: string): BenchResult => ({
  name,
  value,
  unit,
});

/** A figure that could not be measured here (no PostgreSQL, no Chromium...): NaN, unit says why. */
export const skipped = (name: string, why: string): BenchResult => ({
  name,
  value: Number.NaN,
  unit: `skipped: ${why}`,
});

export function verdict(r: BenchResult, budgets: readonly Budget[]): string {
  const budget = budgets.find((b) => b.name === r.name);
  if (budget === undefined) return '';
  if (!Number.isFinite(r.value)) return 'n/a';
  const limit = budget.max !== undefined ? `<= ${budget.max}` : `>= ${budget.min}`;
  const ok =
    (budget.max === undefined || r.value <= budget.max) &&
    (budget.min === undefined || r.value >= budget.min);
  return `${ok ? 'met' : 'MISSED'} (${limit})`;
}

export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 1000 || Number.isInteger(value)) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 0.01) return value.toFixed(3);
  return value.toPrecision(3);
}

export function textTable(results: readonly BenchResult[], budgets: readonly Budget[]): string {
  const rows = results.map((r) => [r.name, formatValue(r.value), r.unit, verdict(r, budgets)]);
  const header = ['name', 'value', 'unit', 'budget'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable(results: readonly BenchResult[], budgets: readonly Budget[]): string {
  const rows = results.map(
    (r) => `| \`${r.name}\` | ${formatValue(r.value)} | ${r.unit} | ${verdict(r, budgets)} |`,
  );
  return ['| figure | value | unit | budget |', '|---|---:|---|---|', ...rows].join('\n');
}

export interface MachineInfo {
  cpu: string;
  cores: number;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return { cpu: list[0]?.model.trim() ?? 'unknown', cores: list.length };
}

export function currentCommit(root: string): string {
  try {
    const sha = execSync('git rev-parse HEAD', { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execSync('git status --porcelain', { cwd: root, encoding: 'utf8' }).trim();
    return dirty === '' ? sha : `${sha}+uncommitted`;
  } catch {
    return 'unknown';
  }
}

/** JSON has no NaN: skipped figures are written as null with the reason in `unit`. */
export function writeResultsJson(path: string, commit: string, results: readonly BenchResult[]) {
  const body = {
    commit,
    machine: machineInfo(),
    results: results.map((r) => ({
      name: r.name,
      value: Number.isFinite(r.value) ? r.value : null,
      unit: r.unit,
    })),
  };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
}
