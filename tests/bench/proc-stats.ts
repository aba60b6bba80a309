import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports CPU time in 1/100 s on every architecture Node runs on here. */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

interface ProcSample {
  cpuTicks: number;
  rssBytes: number;
}

function readStat(pid: number): { ppid: number; cpuTicks: number; rssBytes: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      rssBytes: Number(fields[21]) * PAGE_BYTES,
    };
  } catch {
    return null;
  }
}

/** `pid` and all its descendants (the server runs under a tsx wrapper process). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat === null) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(entry));
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    tree.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return tree;
}

/** CPU summed over the tree, RSS of its largest process (the server itself, not its wrapper). */
export function sampleTree(pids: readonly number[]): ProcSample {
  let cpuTicks = 0;
  let rssBytes = 0;
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat === null) continue;
    cpuTicks += stat.cpuTicks;
    rssBytes = Math.max(rssBytes, stat.rssBytes);
  }
  return { cpuTicks, rssBytes };
}

/** Measures a process tree's CPU use (percent of one core) and peak RSS over a window. */
export class CpuMeter {
  private readonly pids: number[];
  private start: ProcSample;
  private startedAt: number;
  private peakRss = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(rootPid: number) {
    this.pids = processTree(rootPid);
    this.start = sampleTree(this.pids);
    this.startedAt = performance.now();
  }

  begin(): void {
    this.start = sampleTree(this.pids);
    this.startedAt = performance.now();
    this.peakRss = this.start.rssBytes;
    this.timer = setInterval(() => {
      this.peakRss = Math.max(this.peakRss, sampleTree(this.pids).rssBytes);
    }, 250);
  }

  end(): { cpuPct: number; peakRssMB: number } {
    if (this.timer !== null) clearInterval(this.timer);
    const now = sampleTree(this.pids);
    const seconds = (performance.now() - this.startedAt) / 1000;
    this.peakRss = Math.max(this.peakRss, now.rssBytes);
    return {
      cpuPct: ((now.cpuTicks - this.start.cpuTicks) / TICKS_PER_SECOND / seconds) * 100,
      peakRssMB: this.peakRss / (1024 * 1024),
    };
  }
}
