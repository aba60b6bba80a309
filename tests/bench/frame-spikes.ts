/**
 * `npx tsx tests/bench/frame-spikes.ts [--seconds=30] [--world=orchard] [--no-build]`: which
 * frames make the app frame time's p99. Plays the worlds benchmark's plan by the in-page
 * autopilot and lists the slowest frames, each with whether it ended a trial (the game's mark
 * changed), came right after one, or neither (then: a garbage collection, the emulator, the
 * machine). Run with REACH_EXTRA_CHROME_ARGS='--js-flags=--trace-gc' DEBUG=pw:browser to see the
 * collections beside it.
 */
import { WORLDS_URL } from './headset';
import { diagnoseCalibratedGame, scriptArg } from './diagnosis';
import { playTasksByAutopilot } from './autopilot';

const seconds = Number(scriptArg('seconds') ?? 30);
const world = scriptArg('world') ?? 'orchard';
diagnoseCalibratedGame(`${WORLDS_URL}&world=${world}`, async ({ page }) => {
  const from = await page.evaluate(() => window.__reachPerf!.frames);
  const startedAt = await page.evaluate(() => performance.now());
  const trials = await playTasksByAutopilot(page, seconds);
  const frames = await page.evaluate((from) => {
    const p = window.__reachPerf!;
    const out: { appMs: number; mark: number; intervalMs: number }[] = [];
    const n = p.appMs.length;
    for (let i = from; i < p.frames; i++)
      out.push({
        appMs: p.appMs[i % n]!,
        mark: p.marks[i % n]!,
        intervalMs: p.startedAt[i % n]! - p.startedAt[(i - 1 + n) % n]!,
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
  for (const f of sorted.slice(0, 15))
    console.log(
      `${f.appMs.toFixed(1).padStart(6)} ms  frame ${String(f.i).padStart(5)}  ` +
        `${f.intervalMs.toFixed(0).padStart(5)} ms since the last  ${f.kind}`,
    );
});
