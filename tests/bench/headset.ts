import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { WORLD_NAMES } from '../../client/patient/worlds/registry';
import { calibrate, skipRatingPrompts } from '../e2e/game-driver';
import { launchBrowser, type LaunchedBrowser } from '../support/browser';
import { netGrowth, takeSnapshot } from './heap-snapshot';
import { playTasksByAutopilot, playTouchByAutopilot } from './autopilot';
import { startServer } from '../support/server';
import { median, quantile, result, skipped, sortedCopy, type BenchResult } from './report';

const ROOT = resolve(import.meta.dirname, '../..');
/**
 * Touch trials for longer than any window: ten sets of 100 (a set holds at most 100; the session
 * ends after its last set, and a window after the end measures an idle game).
 */
export const TOUCH_URL =
  `/?automation=1&tasks=${Array(10).fill('touch:100').join(',')}&instruction=0.3&interTrial=0.3` +
  '&calibrationHold=0.4&dwell=0.6&rest=1&seed=7';
/** Each task in turn, several times, so every world draws every kind of target, goal and reward. */
export const WORLDS_URL =
  '/?automation=1&tasks=touch:3,hold:3,grasp:3,touch:3,hold:3,grasp:3,touch:3,hold:3,grasp:3' +
  '&instruction=0.3&interTrial=0.3&calibrationHold=0.4&dwell=0.6&rest=1&seed=7' +
  '&timeLimitEasy=30&timeLimitHard=30';
const MB = 1024 * 1024;

/**
 * Installed in the page once the immersive session runs: times each whole XR frame callback
 * (three's XR bookkeeping, every useFrame callback, physics, the draw) and counts WebGL draw
 * calls and triangles per frame. Works without any hook in the game; the game's own probe
 * (client/patient/perf/frame-probe.ts, window.__reachPerf) separates its work from the draw.
 */
const INSTALL_FRAME_METER = `(() => {
  const session = window.__reach.device.activeSession;
  const size = 1 << 16;
  const meter = { frames: 0, cpuMs: new Float64Array(size), calls: new Uint32Array(size),
    triangles: new Float64Array(size), frameRate: session.frameRate ?? null, longTasks: null };
  window.__benchFrames = meter;
  // Every main-thread task of 50 ms or more (the Long Tasks API's threshold), as start, duration:
  // work moved out of the frame into a task of its own is still seen here.
  if (PerformanceObserver.supportedEntryTypes.includes('longtask')) {
    meter.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) meter.longTasks.push(e.startTime, e.duration);
    }).observe({ type: 'longtask' });
  }
  let calls = 0;
  let triangles = 0;
  const TRIANGLES = 4;
  const proto = WebGL2RenderingContext.prototype;
  const wrap = (name, countArg, instanceArg) => {
    const original = proto[name];
    proto[name] = function (...args) {
      calls++;
      if (args[0] === TRIANGLES)
        triangles += (args[countArg] / 3) * (instanceArg === null ? 1 : args[instanceArg]);
      return original.apply(this, args);
    };
  };
  wrap('drawElements', 1, null);
  wrap('drawArrays', 2, null);
  wrap('drawRangeElements', 3, null);
  wrap('drawElementsInstanced', 1, 4);
  wrap('drawArraysInstanced', 2, 3);
  const raf = session.requestAnimationFrame.bind(session);
  session.requestAnimationFrame = (callback) =>
    raf((time, frame) => {
      calls = 0;
      triangles = 0;
      const start = performance.now();
      callback(time, frame);
      const i = meter.frames % size;
      meter.cpuMs[i] = performance.now() - start;
      meter.calls[i] = calls;
      meter.triangles[i] = triangles;
      meter.frames++;
    });
})()`;

interface FrameWindow {
  frames: number;
  frameCpuMs: number[];
  drawCalls: number[];
  triangles: number[];
  appMs: number[] | null;
  renderMs: number[] | null;
  probeDrawCalls: number[] | null;
  probeTriangles: number[] | null;
  frameRate: number | null;
  /** The longest main-thread task that started in the window; 0 when none reached 50 ms. */
  longestTaskMs: number | null;
}

interface FrameCounts {
  meter: number;
  probe: number | null;
  /** The page's clock at the window's start. */
  now: number;
}

const FRAME_COUNTS = `({
  meter: window.__benchFrames.frames,
  probe: window.__reachPerf ? window.__reachPerf.frames : null,
  now: performance.now(),
})`;

/** Copies the frames recorded since the given counters (the rings are larger than any window). */
const framesSince = (from: FrameCounts) => `(() => {
  const m = window.__benchFrames;
  const slice = (ring, start, end) => {
    const out = [];
    for (let i = start; i < end; i++) out.push(ring[i % ring.length]);
    return out;
  };
  const p = window.__reachPerf;
  const probeFrom = ${from.probe === null ? 0 : from.probe};
  return {
    frames: m.frames - ${from.meter},
    frameCpuMs: slice(m.cpuMs, ${from.meter}, m.frames),
    drawCalls: slice(m.calls, ${from.meter}, m.frames),
    triangles: slice(m.triangles, ${from.meter}, m.frames),
    appMs: p ? slice(p.appMs, probeFrom, p.frames) : null,
    renderMs: p ? slice(p.renderMs, probeFrom, p.frames) : null,
    probeDrawCalls: p ? slice(p.drawCalls, probeFrom, p.frames) : null,
    probeTriangles: p ? slice(p.triangles, probeFrom, p.frames) : null,
    frameRate: m.frameRate,
    longestTaskMs: (() => {
      if (m.longTasks === null) return null;
      let longest = 0;
      for (let i = 0; i < m.longTasks.length; i += 2)
        if (m.longTasks[i] >= ${from.now}) longest = Math.max(longest, m.longTasks[i + 1]);
      return longest;
    })(),
  };
})()`;

function statsOf(values: number[]) {
  const sorted = sortedCopy(values);
  return { median: median(sorted), p99: quantile(sorted, 0.99), max: quantile(sorted, 1) };
}

/** Builds the client into dist/ (what the test server serves). */
export function buildClient() {
  const build = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
}

/**
 * A new page playing the game at `query` in an immersive session of the emulated headset,
 * calibrated, with the frame meter installed: ready for a measured window.
 */
export async function openCalibratedGame(
  browser: LaunchedBrowser,
  serverUrl: string,
  query: string,
): Promise<{ page: Page; cdp: CDPSession }> {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await page.goto(serverUrl + query);
  await page.getByTestId('start-practice').click();
  await page.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
  await page.evaluate(() => window.__reach!.enterVR());
  await skipRatingPrompts(page);
  await page.waitForFunction(() => window.__reach!.getState().status === 'calibrating', null, {
    timeout: 30_000,
  });
  await page.evaluate(INSTALL_FRAME_METER);
  // On a starved machine a calibration step can outlast the driver's wait: retry once, then
  // measure anyway (the frame loop runs the same; trialsPlayed then says no task was played).
  const reach = { forward: 0.55, outward: 0.5, up: 0.4, across: 0.3 };
  await calibrate(page, reach).catch(() => calibrate(page, reach).catch(() => undefined));
  return { page, cdp };
}

/** JS heap in use after a forced garbage collection. */
export async function heapUsedAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

interface MeasuredWindow {
  frames: FrameWindow;
  trials: number;
  elapsedS: number;
}

/** Plays for `seconds` and returns every frame recorded meanwhile. */
async function measureWindow(
  page: Page,
  play: (page: Page, seconds: number) => Promise<number>,
  seconds: number,
): Promise<MeasuredWindow> {
  const counts = (await page.evaluate(FRAME_COUNTS)) as FrameCounts;
  const started = performance.now();
  const trials = await play(page, seconds);
  const elapsedS = (performance.now() - started) / 1000;
  const frames = (await page.evaluate(framesSince(counts))) as FrameWindow;
  return { frames, trials, elapsedS };
}

/** The frame figures of a window, named `<prefix>.appFrameMs.p99` and so on. */
function frameFigures(prefix: string, frames: FrameWindow): BenchResult[] {
  const longestTask =
    frames.longestTaskMs === null
      ? skipped(`${prefix}.longestTaskMs`, 'no Long Tasks API')
      : result(
          `${prefix}.longestTaskMs`,
          frames.longestTaskMs,
          'ms, longest main-thread task (>= 50 ms counted, else 0)',
        );
  if (frames.appMs === null || frames.appMs.length === 0) {
    return [
      longestTask,
      skipped(`${prefix}.appFrameMs.median`, 'game does not mount FrameProbe'),
      skipped(`${prefix}.appFrameMs.p99`, 'game does not mount FrameProbe'),
      result(`${prefix}.drawCalls`, statsOf(frames.drawCalls).max, 'per frame, max (WebGL calls)'),
      result(`${prefix}.triangles`, statsOf(frames.triangles).max, 'per frame, max (WebGL calls)'),
    ];
  }
  const app = statsOf(frames.appMs);
  const render = statsOf(frames.renderMs!);
  return [
    result(`${prefix}.appFrameMs.median`, app.median, 'ms (useFrame callbacks + physics)'),
    result(`${prefix}.appFrameMs.p99`, app.p99, 'ms (useFrame callbacks + physics)'),
    result(`${prefix}.renderMs.median`, render.median, 'ms (three render, CPU side, SwiftShader)'),
    result(
      `${prefix}.drawCalls`,
      statsOf(frames.probeDrawCalls!).max,
      'per frame, max (renderer.info)',
    ),
    result(
      `${prefix}.triangles`,
      statsOf(frames.probeTriangles!).max,
      'per frame, max (renderer.info)',
    ),
    longestTask,
  ];
}

/**
 * The game in headless Chromium with the emulated Quest 3, in an immersive session, playing
 * touch trials in the plain room: per-frame cost, draw calls and triangles over the first minute;
 * JS heap growth over that minute and, budgeted, over a minute after three of play.
 */
export async function benchHeadset(options: { smoke: boolean }): Promise<BenchResult[]> {
  const seconds = options.smoke ? 5 : 60;
  const warmSeconds = options.smoke ? 5 : 120;
  buildClient();
  const server = await startServer({ env: { LOG_LEVEL: 'error' } });
  const browser = await launchBrowser({ viewport: { width: 960, height: 720 } });
  try {
    const { page, cdp } = await openCalibratedGame(browser, server.url, TOUCH_URL);
    const heapBefore = await heapUsedAfterGc(cdp);
    const { frames, trials, elapsedS } = await measureWindow(page, playTouchByAutopilot, seconds);
    const heapAfterFirst = await heapUsedAfterGc(cdp);
    // The first minutes' growth is V8 compiling and tiering up code as play reaches it; in a
    // 4-minute run it levels off after about 3 minutes (tests/bench/heap-diff.ts prints the trend
    // every 20 s). A leak keeps growing after that, so the budgeted window comes after it.
    await playTouchByAutopilot(page, warmSeconds);
    const heapBefore2 = await heapUsedAfterGc(cdp);
    const snapshotBefore = await takeSnapshot(cdp);
    const steadyStart = performance.now();
    const steadyTrials = await playTouchByAutopilot(page, seconds);
    const steadyS = (performance.now() - steadyStart) / 1000;
    const heapAfter = await heapUsedAfterGc(cdp);
    // Where the growth is: V8's compiled code or objects the page keeps (a leak).
    // tests/bench/heap-diff.ts names the holders.
    const split = netGrowth(snapshotBefore, await takeSnapshot(cdp));
    const cpu = statsOf(frames.frameCpuMs);
    return [
      ...frameFigures('headset', frames),
      result('headset.xrFrameCpuMs.median', cpu.median, 'ms (whole XR frame callback, incl. draw)'),
      result('headset.xrFrameCpuMs.p99', cpu.p99, 'ms (whole XR frame callback, incl. draw)'),
      result('headset.frames', frames.frames, 'XR frames measured'),
      result('headset.xrFps', frames.frames / elapsedS, 'frames/s (headless caps at 60)'),
      result('headset.targetFrameRateHz', frames.frameRate ?? Number.NaN, 'Hz (session.frameRate)'),
      result('headset.trialsPlayed', trials, 'trials'),
      result(
        'headset.heapGrowthFirstMinuteMB',
        (heapAfterFirst - heapBefore) / MB,
        `MB over the first ${Math.round(elapsedS)} s of play, after GC (JIT warm-up included)`,
      ),
      result(
        'headset.heapGrowthMB',
        (heapAfter - heapBefore2) / MB,
        `MB over ${Math.round(steadyS)} s after GC, after ${Math.round(elapsedS + warmSeconds)} s of play (${steadyTrials} trials)`,
      ),
      result(
        'headset.heapGrowthCodeMB',
        split.code / MB,
        'MB net, V8 compiled code (heap snapshots)',
      ),
      result(
        'headset.heapGrowthObjectsMB',
        split.objects / MB,
        'MB net, JS objects, strings, arrays (heap snapshots)',
      ),
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * Each world in turn, on a page of its own, playing the three tasks (touch, hold, grasp and place)
 * as they come: the world's per-frame cost, draw calls and triangles (both eyes).
 */
export async function benchHeadsetWorlds(options: { smoke: boolean }): Promise<BenchResult[]> {
  const seconds = options.smoke ? 5 : 30;
  buildClient();
  const server = await startServer({ env: { LOG_LEVEL: 'error' } });
  const browser = await launchBrowser({ viewport: { width: 960, height: 720 } });
  const results: BenchResult[] = [];
  try {
    for (const world of WORLD_NAMES) {
      const { page } = await openCalibratedGame(
        browser,
        server.url,
        `${WORLDS_URL}&world=${world}`,
      );
      const measured = await measureWindow(page, playTasksByAutopilot, seconds);
      const prefix = `headset.${world}`;
      results.push(
        ...frameFigures(prefix, measured.frames),
        result(`${prefix}.frames`, measured.frames.frames, 'XR frames measured'),
        result(`${prefix}.trialsPlayed`, measured.trials, 'trials (touch, hold, grasp)'),
      );
      await page.close();
    }
    return results;
  } finally {
    await browser.close();
    await server.close();
  }
}
