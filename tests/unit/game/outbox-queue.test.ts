import { describe, expect, it } from 'vitest';
import {
  ackVerdict,
  belongsToPairing,
  entriesToRestore,
  headOfQueue,
  JOURNAL_INDEX_KEY,
  journalAdd,
  journalEntryStorageKey,
  journalRemove,
  LEGACY_JOURNAL_KEY,
  parseJournal,
  readJournal,
  retryDelayMs,
  sweepUnindexedEntries,
  type JournalEntry,
  type JournalStorage,
} from '../../../shared/game/outbox-queue';

/** localStorage as a Map, logging what is written and removed; `fullAt`: the key it refuses. */
class LoggedStorage implements JournalStorage {
  readonly values = new Map<string, string>();
  written: [key: string, length: number][] = [];
  removed: string[] = [];
  constructor(private readonly fullAt: string | null = null) {}
  getItem(key: string) {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (key === this.fullAt) throw new Error('QuotaExceededError');
    this.values.set(key, value);
    this.written.push([key, value.length]);
  }
  removeItem(key: string) {
    this.values.delete(key);
    this.removed.push(key);
  }
  clearLog() {
    this.written = [];
    this.removed = [];
  }
}

const binding = { pairingId: 'p1', patientId: 'patient-a' };
const trialEntry = (n: number, samples = ''): JournalEntry => ({
  key: `k${n}`,
  kind: 'trial:submit',
  payload: { trialNumber: n, samples },
  binding,
});

describe('outbox rules', () => {
  it('sends the oldest item first whatever the storage order', () => {
    const items = [
      { seq: 3, kind: 'session:end' as const, payload: {}, attempts: 0 },
      { seq: 1, kind: 'session:start' as const, payload: {}, attempts: 0 },
      { seq: 2, kind: 'trial:submit' as const, payload: {}, attempts: 2 },
    ];
    expect(headOfQueue(items)?.seq).toBe(1);
    expect(headOfQueue(items.filter((i) => i.seq !== 1))?.kind).toBe('trial:submit');
    expect(headOfQueue([])).toBeNull();
  });

  it('removes on ack, retries transient errors, discards what can never succeed', () => {
    expect(ackVerdict({ ok: true })).toBe('remove');
    expect(ackVerdict({ ok: false, error: { code: 'timeout', message: '' } })).toBe('retry');
    expect(ackVerdict({ ok: false, error: { code: 'rate_limited', message: '' } })).toBe('retry');
    expect(ackVerdict({ ok: false, error: { code: 'internal', message: '' } })).toBe('retry');
    expect(ackVerdict({ ok: false, error: { code: 'unauthenticated', message: '' } })).toBe(
      'retry',
    );
    expect(ackVerdict({ ok: false, error: { code: 'invalid_payload', message: '' } })).toBe(
      'discard',
    );
    expect(ackVerdict({ ok: false, error: { code: 'forbidden', message: '' } })).toBe('discard');
    // A full session stays full; an hourly storage quota (rate_limited) frees up later.
    expect(ackVerdict({ ok: false, error: { code: 'quota_exceeded', message: '' } })).toBe(
      'discard',
    );
  });

  it('sends an item only over the pairing it was recorded under', () => {
    const pairedToA = { pairingId: 'p1', patientId: 'patient-a' };
    const item = { binding: pairedToA };
    expect(belongsToPairing(item, { pairingId: 'p1', patientId: 'patient-a' })).toBe(true);
    // Unpaired, then paired to another patient: A's records never go out as B's.
    expect(belongsToPairing(item, { pairingId: 'p2', patientId: 'patient-b' })).toBe(false);
    // Paired again to the same patient (say after a revocation): still another pairing.
    expect(belongsToPairing(item, { pairingId: 'p2', patientId: 'patient-a' })).toBe(false);
    expect(belongsToPairing(item, { pairingId: 'p1', patientId: 'patient-b' })).toBe(false);
    expect(belongsToPairing(item, null)).toBe(false);
    expect(belongsToPairing({}, pairedToA)).toBe(false);
    expect(
      belongsToPairing(
        { binding: { pairingId: 'p0', patientId: null } },
        {
          pairingId: 'p0',
          patientId: null,
        },
      ),
    ).toBe(true);
  });

  it('backs off exponentially up to 30 s', () => {
    expect([0, 1, 2, 3, 10].map(retryDelayMs)).toEqual([500, 1000, 2000, 4000, 30000]);
  });

  it('puts back, in order, the journaled items whose IndexedDB write never committed', () => {
    const binding = { pairingId: 'p1', patientId: 'patient-a' };
    const journal: JournalEntry[] = [
      { key: 'k1', kind: 'trial:submit', payload: { trialNumber: 4 }, binding },
      { key: 'k2', kind: 'trial:submit', payload: { trialNumber: 5 }, binding },
      { key: 'k3', kind: 'session:end', payload: { reason: 'plan_complete' }, binding },
    ];
    // Trial 4 committed before the page went away (its entry was not dropped yet): not twice.
    expect(entriesToRestore(journal, new Set(['k1'])).map((e) => e.key)).toEqual(['k2', 'k3']);
    expect(entriesToRestore(journal, new Set()).map((e) => e.key)).toEqual(['k1', 'k2', 'k3']);
    expect(entriesToRestore(journal, new Set(['k1', 'k2', 'k3']))).toEqual([]);
  });

  it('reads a stored journal, and none from a damaged one', () => {
    const entry = { key: 'k1', kind: 'session:end', payload: { sessionId: 's' } };
    expect(parseJournal([entry])).toEqual([entry]);
    expect(parseJournal([{ ...entry, kind: 'pose:frame' }])).toEqual([]);
    expect(parseJournal({ key: 'k1' })).toEqual([]);
    expect(parseJournal(null)).toEqual([]);
  });

  it('keeps the journal in queue order, and nothing in storage once it is empty', () => {
    const storage = new LoggedStorage();
    for (const n of [1, 2, 3]) journalAdd(storage, trialEntry(n));
    expect(readJournal(storage)).toEqual([trialEntry(1), trialEntry(2), trialEntry(3)]);
    journalRemove(storage, ['k2']);
    expect(readJournal(storage).map((e) => e.key)).toEqual(['k1', 'k3']);
    journalRemove(storage, ['k3', 'k1']);
    expect(readJournal(storage)).toEqual([]);
    expect([...storage.values.keys()]).toEqual([]);
  });

  it('adds and drops one entry without rewriting the others waiting', () => {
    const storage = new LoggedStorage();
    const samples = 'x'.repeat(10_000);
    for (let n = 1; n <= 100; n++) journalAdd(storage, trialEntry(n, samples));
    storage.clearLog();
    journalAdd(storage, trialEntry(101, samples));
    const entryLength = JSON.stringify(trialEntry(101, samples)).length;
    // The new entry and the index of 101 keys ("k1" to "k101", quoted, comma-separated).
    const indexLength = JSON.stringify(Array.from({ length: 101 }, (_, i) => `k${i + 1}`)).length;
    expect(storage.written).toEqual([
      [journalEntryStorageKey('k101'), entryLength],
      [JOURNAL_INDEX_KEY, indexLength],
    ]);
    storage.clearLog();
    journalRemove(storage, ['k101']);
    expect(storage.written.map(([key]) => key)).toEqual([JOURNAL_INDEX_KEY]);
    expect(storage.removed).toEqual([journalEntryStorageKey('k101')]);
    expect(readJournal(storage)).toHaveLength(100);
  });

  it('reads first what an older page journaled whole, and empties that once restored', () => {
    const storage = new LoggedStorage();
    storage.setItem(LEGACY_JOURNAL_KEY, JSON.stringify([trialEntry(1), trialEntry(2)]));
    journalAdd(storage, trialEntry(3));
    expect(readJournal(storage).map((e) => e.key)).toEqual(['k1', 'k2', 'k3']);
    journalRemove(storage, ['k1']);
    expect(readJournal(storage).map((e) => e.key)).toEqual(['k2', 'k3']);
    journalRemove(storage, ['k2']);
    expect(storage.getItem(LEGACY_JOURNAL_KEY)).toBeNull();
    expect(readJournal(storage).map((e) => e.key)).toEqual(['k3']);
  });

  it('leaves out a damaged entry alone, and a damaged index reads as an empty journal', () => {
    const storage = new LoggedStorage();
    for (const n of [1, 2, 3]) journalAdd(storage, trialEntry(n));
    storage.setItem(journalEntryStorageKey('k2'), '{"key":');
    expect(readJournal(storage).map((e) => e.key)).toEqual(['k1', 'k3']);
    storage.setItem(journalEntryStorageKey('k3'), JSON.stringify(trialEntry(4)));
    expect(readJournal(storage).map((e) => e.key)).toEqual(['k1']);
    storage.setItem(JOURNAL_INDEX_KEY, '{"k1": true}');
    expect(readJournal(storage)).toEqual([]);
  });

  it('removes the entries no index names (a page stopped between the two writes), only those', () => {
    const storage = new LoggedStorage();
    for (const n of [1, 2]) journalAdd(storage, trialEntry(n));
    // stopped after writing entry 3, before the index; and after dropping 1 from the index only
    storage.setItem(journalEntryStorageKey('k3'), JSON.stringify(trialEntry(3)));
    storage.setItem(JOURNAL_INDEX_KEY, JSON.stringify(['k2']));
    storage.setItem('reach.resume', '{}');
    storage.clearLog();
    expect(sweepUnindexedEntries(storage, storage.values.keys())).toBe(2);
    expect(storage.removed.sort()).toEqual([
      journalEntryStorageKey('k1'),
      journalEntryStorageKey('k3'),
    ]);
    expect(readJournal(storage).map((e) => e.key)).toEqual(['k2']);
    expect(storage.getItem('reach.resume')).toBe('{}');
  });

  it('throws when storage is full, leaving no entry behind', () => {
    const full = new LoggedStorage(JOURNAL_INDEX_KEY);
    expect(() => journalAdd(full, trialEntry(1))).toThrow('QuotaExceededError');
    expect([...full.values.keys()]).toEqual([]);
    expect(readJournal(full)).toEqual([]);
  });
});
