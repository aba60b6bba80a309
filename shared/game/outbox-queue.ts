import { z } from 'zod';
import type { ProtocolError } from '../protocol';

/**
 * The pure rules of the headset's outbox: what to send next and what an answer means. Items are
 * sent strictly in the order they were queued (a session's start, its trials and set ratings, then its end), one
 * at a time, and leave the queue only when the server acknowledged them.
 */
export type OutboxKind =
  'session:start' | 'trial:submit' | 'rating:submit' | 'session:end' | 'calibration:save';

/**
 * The pairing an item was recorded under: the headset's pairing (a random id made when it paired,
 * one per device token) and the patient it was paired to (null for a pairing made before the
 * headset recorded it and without a cached profile).
 */
export interface OutboxBinding {
  pairingId: string;
  patientId: string | null;
}

export interface OutboxItem {
  /** Increasing queue position (IndexedDB auto-increment key). */
  seq: number;
  kind: OutboxKind;
  payload: unknown;
  attempts: number;
  /** Absent only on items of a queue that predates bindings (the Node test headset's). */
  binding?: OutboxBinding;
  /** Its journal entry's key (see `JournalEntry`); absent on items queued before the journal. */
  journalKey?: string;
}

/**
 * Whether an item may be sent over the current pairing. An item recorded under another pairing
 * (the headset was unpaired or revoked, then paired again, maybe to another patient) is never
 * sent: the server would file it under the new pairing's patient.
 */
export function belongsToPairing(
  item: Pick<OutboxItem, 'binding'>,
  current: OutboxBinding | null,
): boolean {
  return (
    current !== null &&
    item.binding !== undefined &&
    item.binding.pairingId === current.pairingId &&
    item.binding.patientId === current.patientId
  );
}

export const headOfQueue = (items: readonly OutboxItem[]): OutboxItem | null => {
  let head: OutboxItem | null = null;
  for (const item of items) if (head === null || item.seq < head.seq) head = item;
  return head;
};

export type AckVerdict = 'remove' | 'retry' | 'discard';

/**
 * Errors the server will give again however often the item is resent (it is malformed or refers
 * to something gone) are discarded so one bad item cannot block every later trial forever;
 * transient ones (timeout, rate limit, offline, internal) are retried.
 */
const PERMANENT: ReadonlySet<string> = new Set([
  'invalid_payload',
  'forbidden',
  'not_found',
  'conflict',
  'out_of_bounds',
  'quota_exceeded',
  'payload_too_large',
  'unknown_event',
]);

export function ackVerdict(answer: { ok: true } | { ok: false; error: ProtocolError }): AckVerdict {
  if (answer.ok) return 'remove';
  return PERMANENT.has(answer.error.code) ? 'discard' : 'retry';
}

/** Exponential back-off for retries, capped at 30 s. */
export const retryDelayMs = (attempts: number): number => Math.min(30_000, 500 * 2 ** attempts);

/**
 * An item queued and not yet known to be in IndexedDB. IndexedDB writes commit asynchronously,
 * while the resume snapshot that counts the item (a trial played, a session ended) is written to
 * the page's synchronous storage at once: a page torn down in between (a reload, a killed tab, a
 * flat battery) would resume after a trial that no queue holds. So the outbox writes each item to
 * a journal in that same synchronous storage first, before the snapshot, and drops it from the
 * journal once IndexedDB's write has committed; the next page puts back what never committed.
 */
export interface JournalEntry {
  /** Random, also written into the IndexedDB item: tells whether the write committed. */
  key: string;
  kind: OutboxKind;
  payload: unknown;
  binding?: OutboxBinding;
}

const journalEntrySchema = z.object({
  key: z.string().min(1).max(64),
  kind: z.enum([
    'session:start',
    'trial:submit',
    'rating:submit',
    'session:end',
    'calibration:save',
  ]),
  payload: z.unknown(),
  binding: z.object({ pairingId: z.string(), patientId: z.string().nullable() }).optional(),
});
const journalSchema = z.array(journalEntrySchema);

/**
 * A journal stored whole in one entry (as pages before one key per entry did), or none when it is
 * missing or damaged (then nothing of it can be put back).
 */
export function parseJournal(raw: unknown): JournalEntry[] {
  const parsed = journalSchema.safeParse(raw);
  return parsed.success ? (parsed.data as JournalEntry[]) : [];
}

/**
 * The journal's entries whose IndexedDB write never committed, in the order they were queued.
 * IndexedDB commits a store's write transactions in the order they were made, so the committed
 * entries are the journal's first ones and the missing ones go back at the end of the queue, in
 * order; an entry that did commit is not queued twice.
 */
export const entriesToRestore = (
  journal: readonly JournalEntry[],
  committedKeys: ReadonlySet<string>,
): JournalEntry[] => journal.filter((entry) => !committedKeys.has(entry.key));

/** The synchronous storage the journal is kept in: the page's localStorage (a stub in Node). */
export interface JournalStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Where pages before one key per entry kept the whole journal: read (a page torn down before an
 * update may have left entries there), emptied once restored, never written.
 */
export const LEGACY_JOURNAL_KEY = 'reach.outboxJournal';
/** The keys of the journal's entries, in the order they were queued. */
export const JOURNAL_INDEX_KEY = 'reach.outboxJournal.index';
/**
 * Each entry under a key of its own: adding or dropping one writes that entry and the small index,
 * never the others (a whole-journal rewrite cost each enqueue and commit time in proportion to
 * every trial waiting in it: tests/bench/outbox-journal.ts).
 */
export const journalEntryStorageKey = (key: string): string => `reach.outboxJournal.entry.${key}`;

function readIndex(storage: JournalStorage): string[] {
  try {
    const keys: unknown = JSON.parse(storage.getItem(JOURNAL_INDEX_KEY) ?? '[]');
    return Array.isArray(keys) && keys.every((key) => typeof key === 'string') ? keys : [];
  } catch {
    return [];
  }
}

function writeIndex(storage: JournalStorage, keys: readonly string[]): void {
  if (keys.length === 0) storage.removeItem(JOURNAL_INDEX_KEY);
  else storage.setItem(JOURNAL_INDEX_KEY, JSON.stringify(keys));
}

function readLegacyJournal(storage: JournalStorage): JournalEntry[] {
  try {
    return parseJournal(JSON.parse(storage.getItem(LEGACY_JOURNAL_KEY) ?? '[]'));
  } catch {
    return [];
  }
}

/**
 * The journal as stored, in queue order: a legacy journal's entries (queued before any of this
 * version's), then the indexed ones. A damaged or missing entry is left out alone.
 */
export function readJournal(storage: JournalStorage): JournalEntry[] {
  const entries = readLegacyJournal(storage);
  for (const key of readIndex(storage)) {
    try {
      const parsed = journalEntrySchema.safeParse(
        JSON.parse(storage.getItem(journalEntryStorageKey(key)) ?? 'null'),
      );
      if (parsed.success && parsed.data.key === key) entries.push(parsed.data as JournalEntry);
    } catch {
      // Not JSON: this entry cannot be put back, the others still can.
    }
  }
  return entries;
}

/**
 * Adds an item queued now at the journal's end: its entry, then the index naming it (an entry the
 * index does not name is never read). Throws when storage is full, leaving no entry behind.
 */
export function journalAdd(storage: JournalStorage, entry: JournalEntry): void {
  const storageKey = journalEntryStorageKey(entry.key);
  storage.setItem(storageKey, JSON.stringify(entry));
  try {
    writeIndex(storage, [...readIndex(storage), entry.key]);
  } catch (error) {
    storage.removeItem(storageKey);
    throw error;
  }
}

/**
 * Drops the entries of items whose IndexedDB write committed (or that were queued again): out of
 * the index first, so a page torn down halfway never puts one back twice.
 */
export function journalRemove(storage: JournalStorage, keys: readonly string[]): void {
  const dropped = new Set(keys);
  const index = readIndex(storage);
  const kept = index.filter((key) => !dropped.has(key));
  if (kept.length !== index.length) writeIndex(storage, kept);
  for (const key of dropped) storage.removeItem(journalEntryStorageKey(key));
  if (storage.getItem(LEGACY_JOURNAL_KEY) === null) return;
  const legacyLeft = readLegacyJournal(storage).filter((entry) => !dropped.has(entry.key));
  if (legacyLeft.length === 0) storage.removeItem(LEGACY_JOURNAL_KEY);
  else storage.setItem(LEGACY_JOURNAL_KEY, JSON.stringify(legacyLeft));
}

/**
 * Removes the entries no index names, given every key `storage` holds: left by a page stopped
 * between writing an entry and the index naming it, or between dropping them from the index and
 * from storage. They are never read, and each may hold a trial's samples, so kept they would fill
 * the storage the journal needs. Returns how many were removed.
 */
export function sweepUnindexedEntries(
  storage: JournalStorage,
  storedKeys: Iterable<string>,
): number {
  const indexed = new Set(readIndex(storage).map(journalEntryStorageKey));
  const prefix = journalEntryStorageKey('');
  const orphans: string[] = [];
  for (const key of storedKeys) if (key.startsWith(prefix) && !indexed.has(key)) orphans.push(key);
  for (const key of orphans) storage.removeItem(key);
  return orphans.length;
}
