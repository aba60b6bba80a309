import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import {
  calibrate,
  gameState,
  nextTrial,
  reachTo,
  type V3,
  skipRatingPrompts,
} from '../e2e/game-driver';
import { launchBrowser } from '../support/browser';
import { startServer } from '../support/server';
import { median, quantile, result, skipped, sortedCopy, type BenchResult } from './report';

const ROOT = resolve(import.meta.dirname, '../..');
const GAME_URL =
  '/?automation=1&tasks=touch:500&instruction=0.3&interTrial=0.3&calibrationHold=0.4' +
  '&dwell=0.6&rest=1&seed=7';
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
    triangles: new Float64Array(size), frameRate: session.frameRate ?? null };
  window.__benchFrames = meter;
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
}

const FRAME_COUNTS = `({
  meter: window.__benchFrames.frames,
  probe: window.__reachPerf ? window.__reachPerf.frames : null,
})`;

/** Copies the frames recorded since the given counters (the rings are larger than any window). */
const framesSince = (from: { meter: number; probe: number | null }) => `(() => {
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
  };
})()`;

/** Plays touch trials (reach each target as it appears) until `seconds` have passed. */
async function play(page: Page, seconds: number): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let trials = 0;
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
    trials = (await gameState(page)).trials.length;
  }
  return trials;
}

function statsOf(values: number[]) {
  const sorted = sortedCopy(values);
  return { median: median(sorted), p99: quantile(sorted, 0.99), max: quantile(sorted, 1) };
}

/**
 * The game in headless Chromium with the emulated Quest 3, in an immersive session, playing
 * touch trials: per-frame cost, draw calls, triangles and JS heap growth over the window.
 */
export async function benchHeadset(options: { smoke: boolean }): Promise<BenchResult[]> {
  const seconds = options.smoke ? 5 : 60;
  const build = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  const server = await startServer({ env: { LOG_LEVEL: 'error' } });
  const browser = await launchBrowser({ viewport: { width: 960, height: 720 } });
  try {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await page.goto(server.url + GAME_URL);
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

    const heapUsed = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const heapBefore = await heapUsed();
    const counts = (await page.evaluate(FRAME_COUNTS)) as { meter: number; probe: number | null };
    const started = performance.now();
    const trials = await play(page, seconds);
    const elapsed = (performance.now() - started) / 1000;
    const frames = (await page.evaluate(framesSince(counts))) as FrameWindow;
    const heapAfter = await heapUsed();

    const cpu = statsOf(frames.frameCpuMs);
    const results: BenchResult[] = [];
    if (frames.appMs !== null && frames.appMs.length > 0) {
      const app = statsOf(frames.appMs);
      const render = statsOf(frames.renderMs!);
      results.push(
        result('headset.appFrameMs.median', app.median, 'ms (useFrame callbacks + physics)'),
        result('headset.appFrameMs.p99', app.p99, 'ms (useFrame callbacks + physics)'),
        result(
          'headset.renderMs.median',
          render.median,
          'ms (three render, CPU side, SwiftShader)',
        ),
        result(
          'headset.drawCalls',
          statsOf(frames.probeDrawCalls!).max,
          'per frame, max (renderer.info)',
        ),
        result(
          'headset.triangles',
          statsOf(frames.probeTriangles!).max,
          'per frame, max (renderer.info)',
        ),
      );
    } else {
      results.push(
        skipped('headset.appFrameMs.median', 'game does not mount FrameProbe'),
        skipped('headset.appFrameMs.p99', 'game does not mount FrameProbe'),
        result('headset.drawCalls', statsOf(frames.drawCalls).max, 'per frame, max (WebGL calls)'),
        result('headset.triangles', statsOf(frames.triangles).max, 'per frame, max (WebGL calls)'),
      );
    }
    results.push(
      result('headset.xrFrameCpuMs.median', cpu.median, 'ms (whole XR frame callback, incl. draw)'),
      result('headset.xrFrameCpuMs.p99', cpu.p99, 'ms (whole XR frame callback, incl. draw)'),
      result('headset.frames', frames.frames, 'XR frames measured'),
      result('headset.xrFps', frames.frames / elapsed, 'frames/s (headless caps at 60)'),
      result('headset.targetFrameRateHz', frames.frameRate ?? Number.NaN, 'Hz (session.frameRate)'),
      result('headset.trialsPlayed', trials, 'trials'),
      result(
        'headset.heapGrowthMB',
        (heapAfter - heapBefore) / MB,
        `MB over ${Math.round(elapsed)} s, after GC`,
      ),
    );
    return results;
  } finally {
    await browser.close();
    await server.close();
  }
}
