import { computeReachMetrics, updateDifficulty } from '../../shared/clinical/index';
import type { ReachInput } from '../../shared/clinical/index';

type Result = { name: string; value: number; unit: string };
type V3 = [number, number, number];

/** A 3 s window at 90 Hz with a 1 s curved minimum-jerk reach, head and 0.5 mm noise. */
function reach3s(): ReachInput {
  const fs = 90;
  const t: number[] = [];
  const hand: V3[] = [];
  const head: V3[] = [];
  let seed = 12345;
  const noise = () => {
    seed = (seed * 16807) % 2147483647;
    return (seed / 2147483647 - 0.5) * 0.001;
  };
  for (let i = 0; i < 3 * fs; i++) {
    const ti = i / fs;
    const q = Math.min(1, Math.max(0, ti - 0.5));
    const s = 10 * q ** 3 - 15 * q ** 4 + 6 * q ** 5;
    const bow = 0.03 * Math.sin(Math.PI * q);
    hand.push([0.1 + 0.18 * s + bow + noise(), 1.2 + noise(), 0.2 + 0.24 * s + noise()]);
    head.push([0.1 + 0.03 * s, 1.6, 0.03 * s]);
    t.push(ti);
  }
  return { t, hand, head, tGo: 0, target: [0.28, 1.2, 0.44], fs };
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export async function benchClinical(): Promise<Result[]> {
  const input = reach3s();
  let sink = 0;
  for (let i = 0; i < 300; i++) sink += computeReachMetrics(input).sparc ?? 0;
  const runs = 2000;
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    sink += computeReachMetrics(input).peakSpeed ?? 0;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);

  // updateDifficulty is too fast to time singly: time batches of 100 calls.
  const batch = 100;
  const us: number[] = [];
  let level = 50;
  for (let r = 0; r < 300; r++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) {
      const hit = (r + i) % 4 !== 0;
      level = updateDifficulty(level, { reached: hit, tContact: hit ? 1 : null }).level;
    }
    if (r >= 50) us.push(((performance.now() - t0) * 1000) / batch);
  }
  us.sort((a, b) => a - b);
  if (!Number.isFinite(sink + level)) throw new Error('benchmark produced a non-finite result');

  return [
    { name: 'clinical.reachMetricsMs.median', value: quantile(ms, 0.5), unit: 'ms' },
    { name: 'clinical.reachMetricsMs.p99', value: quantile(ms, 0.99), unit: 'ms' },
    { name: 'clinical.updateDifficultyUs.median', value: quantile(us, 0.5), unit: 'us' },
  ];
}

const entry = process.argv[1] ?? '';
if (/bench[\\/]clinical\.(ts|js)$/.test(entry)) {
  benchClinical().then((rows) => {
    console.table(
      rows.map((r) => ({ name: r.name, value: Number(r.value.toFixed(4)), unit: r.unit })),
    );
  });
}
