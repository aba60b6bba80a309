import { openDB, type IDBPDatabase } from 'idb';
import {
  ackVerdict,
  belongsToPairing,
  entriesToRestore,
  journalAdd,
  journalRemove,
  readJournal,
  sweepUnindexedEntries,
  retryDelayMs,
  type JournalEntry,
  type JournalStorage,
  type OutboxBinding,
  type OutboxItem,
  type OutboxKind,
} from '../../../shared/game/outbox-queue';
import type { AckResult } from '../../../shared/protocol';
import type { ClientSocket } from '../../common/socket';

const DB_NAME = 'reach-outbox';
/** 2: items carry the pairing they were recorded under. */
const DB_VERSION = 2;
const STORE = 'items';
const ACK_TIMEOUT_MS = 10_000;

type Stored = Omit<OutboxItem, 'seq'> & { seq?: number };

/** 128 random bits (getRandomValues works on plain-HTTP LAN pages too, unlike randomUUID). */
function newJournalKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The pairing the headset holds now, or null when it is not paired. */
export type PairingSource = () => OutboxBinding | null;

/** Every key a Storage holds (a stub without enumeration holds none the sweep can see). */
function storedKeys(storage: JournalStorage): string[] {
  const enumerable = storage as Partial<Pick<Storage, 'key' | 'length'>>;
  const keys: string[] = [];
  for (let i = 0; i < (enumerable.length ?? 0); i++) {
    const key = enumerable.key?.(i);
    if (key) keys.push(key);
  }
  return keys;
}

/**
 * The headset's persistent queue of records for the server (IndexedDB). Items go out one at a
 * time in queue order and leave only on the server's acknowledgement, so a crash, a reload or a
 * dropped connection loses nothing and reorders nothing; the server deduplicates on ids.
 *
 * Every item is bound to the pairing it was recorded under and is sent only over that pairing:
 * items of an earlier pairing (the headset was unpaired or revoked and paired again, possibly to
 * another patient) are discarded with a logged reason, never filed under the new patient.
 *
 * An item is in the journal (`journal`, synchronous storage) from the moment `enqueue` is called
 * until its IndexedDB write has committed: whatever the page writes after queueing it (the resume
 * snapshot that counts it) cannot outlive the item itself. Opening the outbox puts back what a
 * page torn down before the commit left in the journal only.
 */
export class Outbox {
  private db: Promise<IDBPDatabase>;
  private socket: ClientSocket | null = null;
  private sending = false;
  private flushAgain = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(length: number) => void>();
  private readonly deliveredListeners = new Set<
    (kind: OutboxKind, payload: unknown, answer: unknown) => void
  >();

  constructor(
    private readonly pairing: PairingSource,
    /** The storage the resume snapshot is kept in (see `JournalEntry`). */
    private readonly journal: JournalStorage = localStorage,
  ) {
    // Read now, before this page queues anything: only the last page's entries are put back.
    const leftByLastPage = readJournal(this.journal);
    sweepUnindexedEntries(this.journal, storedKeys(this.journal));
    this.db = this.open().then(async (db) => {
      try {
        await this.restoreJournal(db, leftByLastPage);
      } catch (error) {
        // Kept in the journal: the next page tries again.
        console.error('outbox: the journal could not be restored', error);
      }
      return db;
    });
  }

  private open(): Promise<IDBPDatabase> {
    const pairing = this.pairing;
    return openDB(DB_NAME, DB_VERSION, {
      async upgrade(db, oldVersion, _newVersion, transaction) {
        if (oldVersion < 1) {
          db.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
          return;
        }
        // Items queued before bindings existed: almost always recorded under the pairing the
        // headset holds now (discarding them would lose any backlog at the update). Unpaired, they
        // stay unbound and the next pairing discards them.
        const current = pairing();
        if (current === null) return;
        let cursor = await transaction.objectStore(STORE).openCursor();
        while (cursor) {
          await cursor.update({ ...(cursor.value as Stored), binding: current });
          cursor = await cursor.continue();
        }
      },
    });
  }

  /**
   * Queues again, in order and once, what the last page journaled and IndexedDB never committed.
   * Committed journaled items are the newest of the store (they were queued last, and one is
   * delivered only after its journal entry is gone), so the newest `journal.length` are read.
   */
  private async restoreJournal(db: IDBPDatabase, journal: readonly JournalEntry[]): Promise<void> {
    if (journal.length === 0) return;
    const committed = new Set<string>();
    let cursor = await db.transaction(STORE).store.openCursor(null, 'prev');
    for (let read = 0; cursor !== null && read < journal.length; read++) {
      const key = (cursor.value as Stored).journalKey;
      if (key !== undefined) committed.add(key);
      cursor = await cursor.continue();
    }
    const missing = entriesToRestore(journal, committed);
    if (missing.length > 0) {
      console.warn(`outbox: ${missing.length} item(s) queued again: the last page closed first`);
      const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
      for (const entry of missing)
        await tx.store.add({
          kind: entry.kind,
          payload: entry.payload,
          attempts: 0,
          binding: entry.binding,
          journalKey: entry.key,
        } satisfies Stored);
      await tx.done;
    }
    journalRemove(
      this.journal,
      journal.map((entry) => entry.key),
    );
  }

  onLength(listener: (length: number) => void): () => void {
    this.listeners.add(listener);
    void this.length().then(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Called after the server acknowledged an item, with its answer (e.g. the live view waits for
   * session:start, which may say the session has ended meanwhile).
   */
  onDelivered(listener: (kind: OutboxKind, payload: unknown, answer: unknown) => void): () => void {
    this.deliveredListeners.add(listener);
    return () => this.deliveredListeners.delete(listener);
  }

  async length(): Promise<number> {
    return (await this.db).count(STORE);
  }

  private async notify() {
    const n = await this.length();
    for (const l of this.listeners) l(n);
  }

  async enqueue(kind: OutboxKind, payload: unknown): Promise<void> {
    const binding = this.pairing();
    if (binding === null) {
      // Unpaired mid-game: no pairing could ever send it.
      console.warn(`outbox: ${kind} not queued: the headset is no longer paired`);
      return;
    }
    const item: Stored = { kind, payload, attempts: 0, binding, journalKey: newJournalKey() };
    // Synchronously, before the caller goes on to save a snapshot that counts this item.
    this.journalItem(item);
    const db = await this.db;
    // Strict: committed means on disk, since the journal entry goes once this resolves.
    const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
    await Promise.all([tx.store.add(item), tx.done]);
    this.unjournal(item.journalKey!);
    await this.notify();
    void this.flush();
  }

  private journalItem(item: Stored): void {
    const entry: JournalEntry = {
      key: item.journalKey!,
      kind: item.kind,
      payload: item.payload,
      binding: item.binding,
    };
    try {
      journalAdd(this.journal, entry);
    } catch (error) {
      // Storage full: the item still goes to IndexedDB, only without the journal's guard.
      console.warn(`outbox: ${item.kind} not journaled`, error);
    }
  }

  private unjournal(key: string): void {
    try {
      journalRemove(this.journal, [key]);
    } catch (error) {
      // Left in the journal: the next page finds it committed and does not queue it again.
      console.warn('outbox: journal entry not dropped', error);
    }
  }

  /** Sends whenever the socket is (re)connected; a new pairing's socket replaces the old one. */
  attach(socket: ClientSocket): void {
    if (this.socket === socket) return;
    this.socket = socket;
    socket.on('connect', () => void this.flush());
    if (socket.connected) void this.flush();
  }

  private emit(item: OutboxItem): Promise<AckResult<unknown>> {
    const socket = this.socket!;
    const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
      emit(
        event: string,
        payload: unknown,
        ack: (err: Error | null, r: AckResult<unknown>) => void,
      ): void;
    };
    return new Promise((resolve) => {
      timed.emit(item.kind, item.payload, (err, result) => {
        resolve(
          err
            ? { ok: false, error: { code: 'timeout', message: 'no answer from the server' } }
            : result,
        );
      });
    });
  }

  async flush(): Promise<void> {
    if (this.socket === null) return;
    if (this.sending) {
      // An item queued while the loop was finding the queue empty must not wait for a reconnect.
      this.flushAgain = true;
      return;
    }
    this.sending = true;
    this.flushAgain = false;
    try {
      const db = await this.db;
      while (this.socket.connected) {
        const current = this.pairing();
        if (current === null) break;
        const item = await this.head(db);
        if (item === null) break;
        if (!belongsToPairing(item, current)) {
          console.warn(
            `outbox: ${item.kind} discarded: recorded under another pairing` +
              ` (patient ${item.binding?.patientId ?? 'unknown'}), not sent as this one's`,
          );
          await db.delete(STORE, item.seq);
          await this.notify();
          continue;
        }
        const answer = await this.emit(item);
        const verdict = ackVerdict(answer);
        if (verdict === 'retry') {
          await db.put(STORE, { ...item, attempts: item.attempts + 1 });
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => void this.flush(), retryDelayMs(item.attempts));
          this.flushAgain = false;
          break;
        }
        if (verdict === 'discard' && !answer.ok)
          console.warn(
            `outbox: ${item.kind} refused (${answer.error.code}): ${answer.error.message}`,
          );
        await db.delete(STORE, item.seq);
        if (verdict === 'remove' && answer.ok)
          for (const l of this.deliveredListeners) l(item.kind, item.payload, answer.data);
        await this.notify();
      }
    } finally {
      this.sending = false;
    }
    if (this.flushAgain) await this.flush();
  }

  /** The oldest item alone (a cursor, not the whole queue with every item's samples). */
  private async head(db: IDBPDatabase): Promise<OutboxItem | null> {
    const cursor = await db.transaction(STORE).store.openCursor();
    return cursor === null ? null : (cursor.value as OutboxItem);
  }
}
