/**
 * `npx tsx tests/bench/cpu-profile.ts [--seconds=30] [--world=orchard] [--no-build] [--out=cpu.json]`:
 * where the page's main thread spends its time while the worlds benchmark's plan is played by the
 * in-page autopilot. V8's sampling CPU profiler (a sample every 200 µs); printed per function, by
 * its own time (self) and with what it calls (total), so the app frame time's parts can be told
 * apart: the game's useFrame callbacks, the WebXR emulator, the pointer events of
 * @react-three/xr, physics, three's draw. Build without minifying (`npx vite build --minify false`)
 * to read names. The emulator's share is a cost a real headset does not have.
 */
import { writeFileSync } from 'node:fs';
import { WORLDS_URL } from './headset';
import { diagnoseCalibratedGame, scriptArg } from './diagnosis';
import { playTasksByAutopilot } from './autopilot';

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
}

const frameName = (n: CpuNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop() ?? ''}:${n.callFrame.lineNumber + 1}`;

const seconds = Number(scriptArg('seconds') ?? 30);
const world = scriptArg('world') ?? 'orchard';
diagnoseCalibratedGame(`${WORLDS_URL}&world=${world}`, async ({ page, cdp }) => {
  await playTasksByAutopilot(page, 5);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const trials = await playTasksByAutopilot(page, seconds);
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  const out = scriptArg('out');
  if (out !== undefined) writeFileSync(out, JSON.stringify(profile));

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000),
  );
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id)!;
    self.set(frameName(node), (self.get(frameName(node)) ?? 0) + ms);
    // every function on the sample's stack, once even if recursive
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const name = frameName(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  }
  const all = [...selfMs.values()].reduce((a, b) => a + b, 0);
  const ms = (v: number) => v.toFixed(0).padStart(7);
  console.log(`world ${world}: ${(all / 1000).toFixed(1)} s sampled, ${trials} trials`);
  console.log('\nself (ms), largest first:');
  for (const [name, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`${ms(v)}  ${name}`);
  console.log('\ntotal (ms, self + callees), largest first:');
  for (const [name, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 60))
    console.log(`${ms(v)}  ${name}`);
});
