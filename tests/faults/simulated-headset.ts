import { randomUUID } from 'node:crypto';
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import {
  ackVerdict,
  headOfQueue,
  retryDelayMs,
  type OutboxItem,
  type OutboxKind,
} from '../../shared/game/outbox-queue';
import { PROTOCOL_VERSION, type AckResult } from '../../shared/protocol';
import { loose, makeState, makeTrial, poseFrameText, type TestSocket } from '../security/harness';

/**
 * A headset in Node that speaks the same outbox protocol as the game (client/patient/outbox):
 * the queue rules are the very functions the game uses (shared/game/outbox-queue.ts), the queue
 * itself is a `DurableQueue` standing in for IndexedDB (it outlives a "page reload"), and the
 * socket is configured like client/common/socket.ts (websocket, reconnection up to 5 s).
 */

const ACK_TIMEOUT_MS = 10_000;

/** What IndexedDB keeps across reloads: the queue and its auto-increment key. */
export class DurableQueue {
  items: OutboxItem[] = [];
  private nextSeq = 1;

  add(kind: OutboxKind, payload: unknown): void {
    this.items.push({ seq: this.nextSeq++, kind, payload, attempts: 0 });
  }
}

export interface HeadsetCounts {
  /** Every trial the game finished, by id. */
  finished: string[];
  /** Acknowledgements received per trial id (more than one = the server was asked twice). */
  acks: Map<string, number>;
  discarded: { kind: string; code: string }[];
  /** Uploads answered with a transient error (timeout, internal...) and queued for a retry. */
  retries: number;
}

export class SimulatedHeadset {
  readonly socket: TestSocket;
  private sending = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private poseTimer: ReturnType<typeof setInterval> | undefined;
  private sequence = 0;
  closed = false;
  /** Every answer the server gave this page's outbox, in order (e.g. what `session:start` said). */
  readonly answers: { kind: OutboxKind; answer: AckResult<unknown> }[] = [];

  constructor(
    url: string,
    token: string,
    readonly queue: DurableQueue,
    readonly counts: HeadsetCounts,
    readonly sessionId: string,
    /** E.g. `{ ca }` to trust a test proxy's certificate. */
    socketOptions: Partial<ManagerOptions & SocketOptions> = {},
  ) {
    this.socket = io(url, {
      auth: { protocolVersion: PROTOCOL_VERSION, token },
      transports: ['websocket'],
      reconnectionDelayMax: 5000,
      forceNew: true,
      ...socketOptions,
    }) as TestSocket;
    this.socket.on('connect', () => {
      // As the game does (client/patient/game/live.ts): the scene state again, then the outbox.
      this.socket.emit('session:state', makeState(this.sessionId));
      void this.flush();
    });
    loose(this.socket).on('control:apply', (...args) => {
      (args.at(-1) as (r: unknown) => void)({ applied: true });
    });
    this.poseTimer = setInterval(() => {
      if (!this.socket.connected) return;
      this.sequence = (this.sequence + 1) & 0xffff;
      this.socket.volatile.emit('pose:frame', poseFrameText(this.sequence));
    }, 33);
  }

  static newCounts(): HeadsetCounts {
    return { finished: [], acks: new Map(), discarded: [], retries: 0 };
  }

  startSession(): void {
    this.enqueue('session:start', {
      sessionId: this.sessionId,
      mode: 'live',
      startedAt: new Date().toISOString(),
    });
  }

  /** The game finished a trial: into the outbox, whatever the network does. */
  finishTrial(): void {
    const trial = makeTrial(this.sessionId, this.counts.finished.length + 1);
    this.counts.finished.push(trial.id);
    this.enqueue('trial:submit', trial);
  }

  endSession(): void {
    this.enqueue('session:end', {
      sessionId: this.sessionId,
      endedAt: new Date().toISOString(),
      reason: 'plan_complete',
    });
  }

  private enqueue(kind: OutboxKind, payload: unknown): void {
    this.queue.add(kind, payload);
    void this.flush();
  }

  private emit(item: OutboxItem): Promise<AckResult<unknown>> {
    return new Promise((resolve) => {
      loose(this.socket)
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck(item.kind, item.payload)
        .then(
          (answer) => resolve(answer as AckResult<unknown>),
          () => resolve({ ok: false, error: { code: 'timeout', message: 'no answer' } }),
        );
    });
  }

  /** client/patient/outbox/outbox.ts `flush`, over the durable queue. */
  async flush(): Promise<void> {
    if (this.sending || this.closed) return;
    this.sending = true;
    try {
      while (this.socket.connected && !this.closed) {
        const item = headOfQueue(this.queue.items);
        if (item === null) break;
        const answer = await this.emit(item);
        if (this.closed) break;
        this.answers.push({ kind: item.kind, answer });
        const verdict = ackVerdict(answer);
        if (verdict === 'retry') {
          this.counts.retries++;
          item.attempts++;
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => void this.flush(), retryDelayMs(item.attempts));
          break;
        }
        if (item.kind === 'trial:submit' && answer.ok) {
          const id = (item.payload as { id: string }).id;
          this.counts.acks.set(id, (this.counts.acks.get(id) ?? 0) + 1);
        }
        if (verdict === 'discard' && !answer.ok) {
          this.counts.discarded.push({ kind: item.kind, code: answer.error.code });
        }
        this.queue.items = this.queue.items.filter((i) => i.seq !== item.seq);
      }
    } finally {
      this.sending = false;
    }
  }

  /** A page reload: this page's socket and timers go, the queue stays for the next page. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.poseTimer);
    this.socket.close();
  }
}

export const newSessionId = (): string => randomUUID();
