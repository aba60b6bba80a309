/**
 * The headset outbox's journal (shared/game/outbox-queue.ts): each enqueue adds the item to it and
 * each IndexedDB commit drops it (one localStorage key per entry plus an index of their keys). Timed here in Node over a Map-backed storage stub, with 1, 100 and 1,000 items already in
 * the journal (trials of 270 samples, 3 s at 90 Hz, as records.ts submits them): the median cost
 * of one enqueue's add and of one commit's drop. A browser's localStorage adds its own copy.
 * `npx tsx tests/bench/outbox-journal.ts` runs this entry alone.
 */
import {
  journalAdd,
  journalRemove,
  readJournal,
  type JournalEntry,
  type JournalStorage,
} from '../../shared/game/outbox-queue';
import { benchTrial } from './records';
import { median, result, sortedCopy, type BenchResult } from './report';

export const JOURNAL_SIZES = [1, 100, 1000] as const;

class MapStorage implements JournalStorage {
  private readonly values = new Map<string, string>();
  getItem = (key: string) => this.values.get(key) ?? null;
  setItem = (key: string, value: string) => void this.values.set(key, value);
  removeItem = (key: string) => void this.values.delete(key);
}

const binding = { pairingId: 'pairing-1', patientId: 'patient-1' };
const entry = (n: number): JournalEntry => ({
  key: `key-${n}`,
  kind: 'trial:submit',
  payload: benchTrial('session-1', n),
  binding,
});

export function benchOutboxJournal(): BenchResult[] {
  const rows: BenchResult[] = [];
  for (const waiting of JOURNAL_SIZES) {
    const storage = new MapStorage();
    for (let i = 1; i <= waiting; i++) journalAdd(storage, entry(i));
    // Fewer rounds where each one costs more; the first ones warm the JIT.
    const rounds = waiting >= 1000 ? 8 : 60;
    const added: number[] = [];
    const dropped: number[] = [];
    for (let round = 0; round < rounds + 3; round++) {
      const next = entry(waiting + 1 + round);
      const t0 = performance.now();
      journalAdd(storage, next);
      const t1 = performance.now();
      journalRemove(storage, [next.key]);
      const t2 = performance.now();
      if (round < 3) continue;
      added.push(t1 - t0);
      dropped.push(t2 - t1);
    }
    if (readJournal(storage).length !== waiting) throw new Error('the journal lost entries');
    rows.push(
      result(`outbox.journal.${waiting}.enqueueMs.median`, median(sortedCopy(added)), 'ms'),
      result(`outbox.journal.${waiting}.commitMs.median`, median(sortedCopy(dropped)), 'ms'),
    );
  }
  return rows;
}

const entryPoint = process.argv[1] ?? '';
if (/bench[\\/]outbox-journal\.(ts|js)$/.test(entryPoint)) {
  console.table(
    benchOutboxJournal().map((r) => ({
      name: r.name,
      value: Number(r.value.toFixed(4)),
      unit: r.unit,
    })),
  );
}
