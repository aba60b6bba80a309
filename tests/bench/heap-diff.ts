/**
 * `npx tsx tests/bench/heap-diff.ts [--seconds=60] [--world=plain] [--no-build] [--idle|--driven]`: finds what holds
 * the headset's heap growth. The game as in the headset benchmark (emulated Quest 3, calibrated,
 * touch trials reached by the in-page autopilot); a heap snapshot after GC, `seconds` of play, another after GC. Objects of
 * the second snapshot whose ids the first did not have are the growth (V8 keeps an object's id
 * across snapshots of one page): they are grouped by constructor, and the largest groups are shown
 * with a retainer path of one of their objects, the chain that keeps them alive.
 */
import type { Page } from 'playwright-core';
import { TOUCH_URL, heapUsedAfterGc } from './headset';
import { diagnoseCalibratedGame, scriptArg } from './diagnosis';
import { nextTrial, reachTo, type V3 } from '../e2e/game-driver';
import { takeSnapshot } from './heap-snapshot';
import { playTouchByAutopilot } from './autopilot';

const MB = 1024 * 1024;

async function playTouch(page: Page, seconds: number) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const state = await nextTrial(page).catch(() => null);
    if (state === null || state.status === 'ended') break;
    const target = state.targets[0]?.worldPosition as V3 | undefined;
    if (target !== undefined) await reachTo(page, 'controller-right', target, 0.5);
    await page
      .waitForFunction((n) => window.__reach!.getState().trials.length > n, state.trials.length, {
        timeout: 10_000,
        polling: 100,
      })
      .catch(() => undefined);
  }
}

const seconds = Number(scriptArg('seconds') ?? 60);
const world = scriptArg('world') ?? 'plain';
diagnoseCalibratedGame(`${TOUCH_URL}&world=${world}`, async ({ page, cdp }) => {
  const usedBefore = await heapUsedAfterGc(cdp);
  const before = await takeSnapshot(cdp);
  // Heap after GC every 20 s: a leak climbs steadily, warm-up (compiled code) levels off.
  const trend: string[] = [];
  for (let played = 0; played < seconds; played += 20) {
    // --idle: the game runs (a target waits to be reached) with no call from the driver at all
    const chunk = Math.min(20, seconds - played);
    if (process.argv.includes('--idle')) await new Promise((r) => setTimeout(r, chunk * 1000));
    // --driven: each reach made by the driver's calls (what the benchmark did before 2026-11-29)
    else if (process.argv.includes('--driven')) await playTouch(page, chunk);
    else await playTouchByAutopilot(page, chunk);
    trend.push(((await heapUsedAfterGc(cdp)) / MB).toFixed(2));
  }
  const usedAfter = await heapUsedAfterGc(cdp);
  const after = await takeSnapshot(cdp);

  const oldIds = new Set<number>();
  for (let n = 0; n < before.count; n++) oldIds.add(before.id(n));
  const groups = new Map<string, { count: number; bytes: number; sample: number }>();
  let newBytes = 0;
  for (let n = 0; n < after.count; n++) {
    if (oldIds.has(after.id(n))) continue;
    const key = after.group(n);
    const g = groups.get(key) ?? { count: 0, bytes: 0, sample: n };
    g.count++;
    g.bytes += after.selfSize(n);
    newBytes += after.selfSize(n);
    groups.set(key, g);
  }
  console.log(
    `world ${world}, ${seconds} s: heap used after GC ${(usedBefore / MB).toFixed(2)} -> ` +
      `${(usedAfter / MB).toFixed(2)} MB (${((usedAfter - usedBefore) / MB).toFixed(3)} MB); ` +
      `${after.count - before.count} more nodes; new objects' self size ${(newBytes / MB).toFixed(3)} MB`,
  );
  console.log(
    `trials stored in the page: ${await page.evaluate(() => window.__reach!.getState().trials.length)}`,
  );
  console.log(`heap used after GC every 20 s: ${trend.join(', ')} MB`);
  // Net change per group (what DevTools' Comparison calls "size delta"): new minus freed.
  const net = new Map<string, number>();
  for (let n = 0; n < after.count; n++)
    net.set(after.group(n), (net.get(after.group(n)) ?? 0) + after.selfSize(n));
  for (let n = 0; n < before.count; n++)
    net.set(before.group(n), (net.get(before.group(n)) ?? 0) - before.selfSize(n));
  console.log('\nnet change per group (largest first):');
  for (const [key, bytes] of [...net.entries()]
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, 15))
    console.log(`${(bytes / 1024).toFixed(1).padStart(9)} KB  ${key.slice(0, 120)}`);
  // Compiled code is named after what it is (bytecode, a function's optimised code, a script).
  const codeNames = new Map<string, number>();
  for (let n = 0; n < after.count; n++) {
    if (oldIds.has(after.id(n)) || after.type(n) !== 'code') continue;
    const key = after.name(n).slice(0, 60);
    codeNames.set(key, (codeNames.get(key) ?? 0) + after.selfSize(n));
  }
  console.log('\nnew compiled code by name (largest first):');
  for (const [key, bytes] of [...codeNames.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`${(bytes / 1024).toFixed(1).padStart(9)} KB  ${key}`);
  console.log('\nnew objects per group (largest first):');
  const top = [...groups.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 25);
  for (const [key, g] of top)
    console.log(
      `${(g.bytes / 1024).toFixed(1).padStart(9)} KB ${String(g.count).padStart(7)}  ${key.slice(0, 120)}`,
    );
  for (const [key, g] of top.slice(0, 8)) {
    console.log(`\nretainers of a new ${key}:`);
    for (const step of after.retainerPath(g.sample)) console.log(`  ${step}`);
  }
});
