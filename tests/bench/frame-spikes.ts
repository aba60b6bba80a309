/**
 * `npx tsx tests/bench/frame-spikes.ts [--seconds=30] [--world=orchard] [--no-build]`: which
 * frames make the app frame time's p99. Plays the worlds benchmark's plan by the in-page
 * autopilot and lists the slowest frames, each with whether it ended a trial (the game's mark
 * changed), came right after one, or neither (then: a garbage collection, the emulator, the
 * machine). `--trace` records Chromium's trace meanwhile and says how much of each slow frame was
 * a garbage collection on the main thread.
 */
import { WORLDS_URL } from './headset';
import { diagnoseCalibratedGame, scriptArg } from './diagnosis';
import { playTasksByAutopilot } from './autopilot';
import { traceWhile, type FrameTrace } from './frame-trace';

const seconds = Number(scriptArg('seconds') ?? 30);
const world = scriptArg('world') ?? 'orchard';
const tracing = process.argv.includes('--trace');
diagnoseCalibratedGame(`${WORLDS_URL}&world=${world}`, async ({ page, cdp }) => {
  const from = await page.evaluate(() => window.__reachPerf!.frames);
  const startedAt = await page.evaluate(() => performance.now());
  let trials = 0;
  let trace: FrameTrace | null = null;
  const play = async () => {
    trials = await playTasksByAutopilot(page, seconds);
  };
  if (tracing) trace = await traceWhile(page, cdp, play);
  else await play();
  const frames = await page.evaluate((from) => {
    const p = window.__reachPerf!;
    const out: { appMs: number; mark: number; intervalMs: number; startedAt: number }[] = [];
    const n = p.appMs.length;
    for (let i = from; i < p.frames; i++)
      out.push({
        appMs: p.appMs[i % n]!,
        mark: p.marks[i % n]!,
        intervalMs: p.startedAt[i % n]! - p.startedAt[(i - 1 + n) % n]!,
        startedAt: p.startedAt[i % n]!,
      });
    return out;
  }, from);
  const kinds = frames.map((f, i) => {
    const prev = frames[i - 1];
    const prev2 = frames[i - 2];
    if (prev !== undefined && f.mark !== prev.mark) return 'ends a trial';
    if (prev2 !== undefined && prev !== undefined && prev.mark !== prev2.mark)
      return 'after a trial end';
    return '';
  });
  const sorted = frames
    .map((f, i) => ({ ...f, i, kind: kinds[i]! }))
    .sort((a, b) => b.appMs - a.appMs);
  const p99Index = Math.floor(0.99 * (frames.length - 1));
  const p99 = [...frames].sort((a, b) => a.appMs - b.appMs)[p99Index]?.appMs ?? Number.NaN;
  console.log(
    `world ${world}: ${frames.length} frames, ${trials} trials, p99 ${p99.toFixed(1)} ms; ` +
      `median ${[...frames].sort((a, b) => a.appMs - b.appMs)[Math.floor(frames.length / 2)]?.appMs.toFixed(1)} ms; ` +
      `mean ${(frames.reduce((sum, f) => sum + f.appMs, 0) / frames.length).toFixed(2)} ms`,
  );
  const boundary = kinds.filter((k) => k !== '').length;
  console.log(
    `${boundary} frames at a trial end or right after (${((100 * boundary) / frames.length).toFixed(1)} %)`,
  );
  const longTasks = await page.evaluate((since) => {
    const m = (window as unknown as { __benchFrames: { longTasks: number[] | null } }).__benchFrames
      .longTasks;
    const out: string[] = [];
    for (let i = 0; m !== null && i < m.length; i += 2)
      if (m[i]! >= since) out.push(`${((m[i]! - since) / 1000).toFixed(1)} s: ${m[i + 1]} ms`);
    return out;
  }, startedAt);
  console.log(`long tasks (>= 50 ms) in the window: ${longTasks.join(', ') || 'none'}`);
  if (trace !== null)
    console.log(
      `collections on the main thread in the window: ${trace.gcTotal.count}, ` +
        `${trace.gcTotal.ms.toFixed(1)} ms in all`,
    );
  if (trace !== null) {
    const windowsOf = (kind: string) =>
      sorted.filter((f) => f.kind === kind).map((f) => ({ from: f.startedAt, ms: f.appMs }));
    for (const kind of ['ends a trial', ''] as const) {
      const windows = windowsOf(kind);
      const ms = windows.reduce((sum, w) => sum + w.ms, 0);
      console.log(
        `\n${kind === '' ? 'other frames' : `frames that ${kind.replace('ends', 'end')}`}: ` +
          `${windows.length}, ${(ms / Math.max(1, windows.length)).toFixed(2)} ms each on average; ` +
          'samples on the stack (inclusive):',
      );
      for (const [name, n] of trace.inclusiveWithin(windows).slice(0, 25))
        console.log(`${String(n).padStart(6)}  ${name}`);
    }
    console.log('');
  }
  if (trace !== null) {
    // The frames at or above the p99: why each was slow.
    const slowest = sorted.slice(0, Math.max(1, frames.length - p99Index));
    let collection = 0;
    let notRunning = 0;
    for (const f of slowest) {
      const gc = trace.gcWithin(f.startedAt, f.appMs).ms;
      const sampledMs = trace.samplesWithin(f.startedAt, f.appMs).count * trace.sampleIntervalMs;
      if (gc >= f.appMs / 2) collection++;
      else if (sampledMs < f.appMs / 2) notRunning++;
    }
    console.log(
      `the ${slowest.length} frames at or above the p99: ${collection} mostly a collection, ` +
        `${notRunning} with the main thread mostly not running (sampled < half the frame at ` +
        `${trace.sampleIntervalMs.toFixed(2)} ms a sample), ` +
        `${slowest.length - collection - notRunning} the page's own work\n`,
    );
  }
  for (const f of sorted.slice(0, 15)) {
    const gc = trace?.gcWithin(f.startedAt, f.appMs);
    const sampled = trace?.samplesWithin(f.startedAt, f.appMs);
    console.log(
      `${f.appMs.toFixed(1).padStart(6)} ms  frame ${String(f.i).padStart(5)}  ` +
        `${f.intervalMs.toFixed(0).padStart(5)} ms since the last  ${f.kind}` +
        (gc ? `  GC inside: ${gc.ms.toFixed(1)} ms ${gc.kinds.join(', ')}` : '') +
        (sampled ? `\n          ${sampled.count} samples: ${sampled.top.join(', ')}` : ''),
    );
  }
});
