import { openDB, type IDBPDatabase } from 'idb';
import {
  ackVerdict,
  headOfQueue,
  retryDelayMs,
  type OutboxItem,
  type OutboxKind,
} from '../../../shared/game/outbox-queue';
import type { AckResult } from '../../../shared/protocol';
import type { ReachSocket } from '../../common/socket';

const DB_NAME = 'reach-outbox';
const STORE = 'items';
const ACK_TIMEOUT_MS = 10_000;

type Stored = Omit<OutboxItem, 'seq'> & { seq?: number };

/**
 * The headset's persistent queue of records for the server (IndexedDB). Items go out one at a
 * time in queue order and leave only on the server's acknowledgement, so a crash, a reload or a
 * dropped connection loses nothing and reorders nothing; the server deduplicates on ids.
 */
export class Outbox {
  private db: Promise<IDBPDatabase>;
  private socket: ReachSocket | null = null;
  private sending = false;
  private flushAgain = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(length: number) => void>();
  private readonly deliveredListeners = new Set<(kind: OutboxKind, payload: unknown) => void>();

  constructor() {
    this.db = openDB(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
      },
    });
  }

  onLength(listener: (length: number) => void): () => void {
    this.listeners.add(listener);
    void this.length().then(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after the server acknowledged an item (e.g. the live view waits for session:start). */
  onDelivered(listener: (kind: OutboxKind, payload: unknown) => void): () => void {
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
    const item: Stored = { kind, payload, attempts: 0 };
    await (await this.db).add(STORE, item);
    await this.notify();
    void this.flush();
  }

  /** Sends whenever the socket is (re)connected. */
  attach(socket: ReachSocket): void {
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
        const item = headOfQueue((await db.getAll(STORE)) as OutboxItem[]);
        if (item === null) break;
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
        if (verdict === 'remove')
          for (const l of this.deliveredListeners) l(item.kind, item.payload);
        await this.notify();
      }
    } finally {
      this.sending = false;
    }
    if (this.flushAgain) await this.flush();
  }
}
