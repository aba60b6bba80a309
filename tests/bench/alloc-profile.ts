/**
 * `npx tsx tests/bench/alloc-profile.ts [--seconds=30] [--world=plain] [--no-build] [--out=profile.json]`: names who
 * allocates while the game plays. Young objects that die within a frame or two never show in a
 * heap snapshot, yet they are what makes V8 scavenge (a pause of 1 to 10 ms that lands in a
 * frame). V8's sampling heap profiler, told to keep objects minor GCs collected, records an
 * allocation every `interval` bytes with its stack: the sums per function (self) and per stack
 * frame anywhere on the stack (total) say where the bytes come from. Build without minifying
 * (`npx vite build --minify false`) to read names. `--promoted`: only what outlived young collections.
 */
import { writeFileSync } from 'node:fs';
import { TOUCH_URL } from './headset';
import { diagnoseCalibratedGame, scriptArg } from './diagnosis';
import { playTouchByAutopilot } from './autopilot';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const frameName = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop() ?? ''}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;

const seconds = Number(scriptArg('seconds') ?? 30);
const world = scriptArg('world') ?? 'plain';
diagnoseCalibratedGame(`${TOUCH_URL}&world=${world}`, async ({ page, cdp }) => {
  // warm up first: compiling and first-use caches are not the steady allocation
  await playTouchByAutopilot(page, 5);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.startSampling', {
    samplingInterval: 512,
    includeObjectsCollectedByMajorGC: true,
    // --promoted: only what outlived young collections (promoted, then freed by a full collection,
    // or still alive): the garbage that brings on the long, full collections
    includeObjectsCollectedByMinorGC: !process.argv.includes('--promoted'),
  });
  const frames0 = await page.evaluate(() => performance.now());
  const framesBefore = await page.evaluate(() => window.__reachPerf?.frames ?? 0);
  const trials = await playTouchByAutopilot(page, seconds);
  const { profile } = (await cdp.send('HeapProfiler.stopSampling')) as unknown as {
    profile: { head: ProfileNode };
  };
  const out = scriptArg('out');
  if (out !== undefined) writeFileSync(out, JSON.stringify(profile));
  const elapsed = ((await page.evaluate(() => performance.now())) - frames0) / 1000;
  // per XR frame as well: the rate per second follows the frame rate, which varies run to run
  const frames = (await page.evaluate(() => window.__reachPerf?.frames ?? 0)) - framesBefore;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  // The benchmark's appFrameMs window: R3F's frame loop (`update`) before the draw. A collection
  // that lands in a frame's figure is most often brought on by bytes allocated there.
  const inAppWindow = new Map<string, number>();
  let appWindowBytes = 0;
  const walk = (node: ProfileNode, stack: string[]): number => {
    const name = frameName(node);
    let size = node.selfSize;
    self.set(name, (self.get(name) ?? 0) + node.selfSize);
    const fn = node.callFrame.functionName;
    if (
      node.selfSize > 0 &&
      stack.some((f) => f.startsWith('update events')) &&
      !stack.some((f) => f.startsWith('probedRender')) &&
      fn !== 'probedRender'
    ) {
      appWindowBytes += node.selfSize;
      inAppWindow.set(name, (inAppWindow.get(name) ?? 0) + node.selfSize);
    }
    for (const child of node.children) size += walk(child, [...stack, name]);
    // count a recursive frame once per stack
    if (!stack.includes(name)) total.set(name, (total.get(name) ?? 0) + size);
    return size;
  };
  const all = walk(profile.head, []);
  const kb = (b: number) => (b / 1024).toFixed(0).padStart(8);
  console.log(
    `world ${world}: ${(all / 1024 / 1024).toFixed(1)} MB allocated in ${elapsed.toFixed(1)} s ` +
      `(${(all / 1024 / elapsed).toFixed(0)} KB/s, ${frames} XR frames: ` +
      `${(all / 1024 / Math.max(1, frames)).toFixed(1)} KB a frame), ${trials} trials`,
  );
  if (appWindowBytes === 0)
    console.log(
      'the appFrameMs window is found by name: build with `npx vite build --minify false`',
    );
  else
    console.log(
      `in the appFrameMs window (useFrame callbacks and physics): ${(appWindowBytes / 1024).toFixed(0)} KB, ` +
        `${(appWindowBytes / 1024 / Math.max(1, frames)).toFixed(1)} KB a frame; self (KB), largest first:`,
    );
  for (const [name, b] of [...inAppWindow.entries()].sort((a, c) => c[1] - a[1]).slice(0, 25))
    console.log(`${kb(b)}  ${name}`);
  console.log('\nself (KB), largest first:');
  for (const [name, b] of [...self.entries()].sort((a, c) => c[1] - a[1]).slice(0, 40))
    console.log(`${kb(b)}  ${name}`);
  console.log('\ntotal (KB, self + callees), largest first:');
  for (const [name, b] of [...total.entries()].sort((a, c) => c[1] - a[1]).slice(0, 60))
    console.log(`${kb(b)}  ${name}`);
});
