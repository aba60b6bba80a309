import type { CDPSession, Page } from 'playwright-core';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: {
    name?: string;
    data?: {
      startTime?: number;
      cpuProfile?: {
        nodes?: {
          id: number;
          parent?: number;
          callFrame: { functionName: string; url?: string; lineNumber?: number };
        }[];
        samples?: number[];
      };
      timeDeltas?: number[];
    };
  };
}

const SYNC_MARK = 'reach-frame-trace-sync';
/** Garbage collection on the main thread, by the names Chromium's tracing gives its phases. */
const GC =
  /^(MinorGC|MajorGC|V8\.GC_SCAVENGER$|V8\.GC_MC_(INCREMENTAL$|MARK$|SWEEP$|EVACUATE$)|V8\.GCScavenger$|V8\.GCFinalizeMC$|V8\.GCIncrementalMarking$)/;

export interface FrameTrace {
  /** Milliseconds of garbage collection inside [from, from + ms) of the page's clock, and its kinds. */
  gcWithin(from: number, ms: number): { ms: number; kinds: string[] };
  /**
   * What V8's sampler found running inside [from, from + ms) of the page's clock: the number of
   * samples and the functions they were in, most first (`(program)`: native work outside JS,
   * `(idle)`: nothing). Few samples in a long frame mean the thread was not running.
   */
  samplesWithin(from: number, ms: number): { count: number; top: string[] };
  /**
   * Over several frames' windows: how many samples each function was on the stack of (itself or
   * what it called), most first: where a kind of frame spends its time.
   */
  inclusiveWithin(windows: readonly { from: number; ms: number }[]): [string, number][];
  /** Main-thread collections in the whole trace: count and milliseconds. */
  gcTotal: { count: number; ms: number };
  /** The sampler's usual interval while the thread runs (the median gap between samples), ms. */
  sampleIntervalMs: number;
}

/**
 * Records Chromium's trace of the page while `play` runs, to tell what the main thread did inside
 * a given frame: a collection (V8's phases) or nothing of its own (then: the thread was not
 * scheduled, the emulator, the machine). Aligned on a user-timing mark set in the page.
 */
export async function traceWhile(
  page: Page,
  cdp: CDPSession,
  play: () => Promise<void>,
): Promise<FrameTrace> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: [
        'v8',
        'devtools.timeline',
        'disabled-by-default-v8.gc',
        'blink.user_timing',
        'disabled-by-default-v8.cpu_profiler',
        '__metadata',
      ],
    },
  });
  const syncAt = await page.evaluate((name) => performance.mark(name).startTime, SYNC_MARK);
  await play();
  const complete = new Promise<void>((resolve) =>
    cdp.once('Tracing.tracingComplete', () => resolve()),
  );
  await cdp.send('Tracing.end');
  await complete;

  const sync = events.find((e) => e.name === SYNC_MARK);
  if (!sync) throw new Error('the trace has no sync mark: was blink.user_timing recorded?');
  const mainThread = events.find(
    (e) =>
      e.ph === 'M' &&
      e.name === 'thread_name' &&
      e.pid === sync.pid &&
      e.args?.name === 'CrRendererMain',
  );
  const gc = events
    .filter(
      (e) =>
        e.pid === sync.pid &&
        (mainThread === undefined || e.tid === mainThread.tid) &&
        e.ph === 'X' &&
        e.dur !== undefined &&
        GC.test(e.name),
    )
    // page clock (ms) of each collection phase
    .map((e) => ({ name: e.name, from: syncAt + (e.ts - sync.ts) / 1000, ms: e.dur! / 1000 }));
  // outermost events only, so that nested phases are not counted twice
  gc.sort((a, b) => a.from - b.from || b.ms - a.ms);
  const outer: typeof gc = [];
  for (const e of gc) {
    const last = outer[outer.length - 1];
    if (last && e.from < last.from + last.ms) continue;
    outer.push(e);
  }
  const samples = cpuSamples(events, sync.pid, syncAt, sync.ts);
  return {
    samplesWithin(from, ms) {
      const counts = new Map<string, number>();
      let count = 0;
      for (const s of samples) {
        if (s.at < from || s.at >= from + ms) continue;
        count++;
        counts.set(s.stack[0]!, (counts.get(s.stack[0]!) ?? 0) + 1);
      }
      const top = [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([name, n]) => `${n}x ${name}`);
      return { count, top };
    },
    inclusiveWithin(windows) {
      const counts = new Map<string, number>();
      for (const s of samples) {
        if (!windows.some((w) => s.at >= w.from && s.at < w.from + w.ms)) continue;
        for (const name of new Set(s.stack)) counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      return [...counts].sort((a, b) => b[1] - a[1]);
    },
    gcTotal: { count: outer.length, ms: outer.reduce((sum, e) => sum + e.ms, 0) },
    sampleIntervalMs: medianGap(samples),
    gcWithin(from, ms) {
      let inside = 0;
      const kinds: string[] = [];
      for (const e of outer) {
        const overlap = Math.min(from + ms, e.from + e.ms) - Math.max(from, e.from);
        if (overlap <= 0) continue;
        inside += overlap;
        kinds.push(`${e.name} ${e.ms.toFixed(1)} ms`);
      }
      return { ms: inside, kinds };
    },
  };
}

/** The samples of V8's profiler in the trace (the renderer's main thread), on the page's clock. */
function cpuSamples(
  events: TraceEvent[],
  pid: number,
  syncAt: number,
  syncTs: number,
): { at: number; stack: string[] }[] {
  const profile = events.find((e) => e.pid === pid && e.name === 'Profile');
  if (!profile?.args?.data?.startTime) return [];
  const names = new Map<number, string>();
  const parents = new Map<number, number>();
  const out: { at: number; stack: string[] }[] = [];
  const stackOf = (id: number) => {
    const stack: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at))
      stack.push(names.get(at) ?? '?');
    return stack;
  };
  let ts = profile.args.data.startTime;
  for (const chunk of events) {
    if (chunk.pid !== pid || chunk.name !== 'ProfileChunk' || chunk.id !== profile.id) continue;
    const data = chunk.args?.data;
    for (const node of data?.cpuProfile?.nodes ?? []) {
      if (node.parent !== undefined) parents.set(node.id, node.parent);
      names.set(
        node.id,
        `${node.callFrame.functionName || '(anonymous)'} ${(node.callFrame.url ?? '').split('/').pop() ?? ''}`.trim(),
      );
    }
    const ids = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    for (let i = 0; i < ids.length; i++) {
      ts += deltas[i] ?? 0;
      out.push({ at: syncAt + (ts - syncTs) / 1000, stack: stackOf(ids[i]!) });
    }
  }
  return out;
}

function medianGap(samples: readonly { at: number }[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < samples.length; i++) gaps.push(samples[i]!.at - samples[i - 1]!.at);
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? Number.NaN;
}
