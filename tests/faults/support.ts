import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { api, loose, sleep, waitFor, type TestSocket } from '../security/harness';
import {
  DurableQueue,
  newSessionId,
  SimulatedHeadset,
  type HeadsetCounts,
} from './simulated-headset';

/**
 * A TCP hop between the headset and the server that a test can cut: every open connection is
 * reset and new ones are refused until `restore()`, as when the headset's Wi-Fi drops.
 */
export class CuttableLink {
  private readonly live = new Set<Socket>();
  private up = true;
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** `targets`: server ports in order of preference; a connection goes to the first that answers. */
  static async open(targets: number | number[]): Promise<CuttableLink> {
    const ports = Array.isArray(targets) ? targets : [targets];
    const link: { current?: CuttableLink } = {};
    const server = createServer((inbound) => {
      const self = link.current!;
      if (!self.up) {
        inbound.destroy();
        return;
      }
      inbound.pause();
      self.live.add(inbound);
      inbound.on('close', () => self.live.delete(inbound));
      inbound.on('error', () => undefined);
      void connectFirst(ports).then((outbound) => {
        if (outbound === null || inbound.destroyed) {
          outbound?.destroy();
          inbound.destroy();
          return;
        }
        self.live.add(outbound);
        outbound.on('close', () => self.live.delete(outbound));
        outbound.on('error', () => undefined);
        inbound.pipe(outbound).pipe(inbound);
        inbound.on('close', () => outbound.destroy());
        outbound.on('close', () => inbound.destroy());
        inbound.resume();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const address = server.address();
    link.current = new CuttableLink(
      server,
      typeof address === 'object' && address ? address.port : 0,
    );
    return link.current;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  cut(): void {
    this.up = false;
    for (const s of this.live) s.resetAndDestroy();
  }

  restore(): void {
    this.up = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

async function connectFirst(ports: number[]): Promise<Socket | null> {
  for (const port of ports) {
    const socket = await new Promise<Socket | null>((resolve) => {
      const s = tcpConnect(port, '127.0.0.1');
      s.once('connect', () => resolve(s));
      s.once('error', () => resolve(null));
    });
    if (socket !== null) return socket;
  }
  return null;
}

/**
 * The therapist's live view as the dashboard keeps it (client/therapist/live/live-link.ts): a
 * reconnecting socket that asks to watch the patient again on every (re)connect.
 */
export class TherapistWatcher {
  readonly socket: TestSocket;
  readonly trialIds: string[] = [];
  poses = 0;
  watches = 0;
  lastLive: { sessionId: string; poseAlias: string; deviceConnected: boolean } | null = null;
  /** The session alias of every relayed pose frame, in order of arrival. */
  readonly poseAliases: string[] = [];

  constructor(
    url: string,
    token: string,
    patientId: string,
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
      void loose(this.socket)
        .timeout(5000)
        .emitWithAck('patient:watch', { patientId })
        .then((answer) => {
          const a = answer as { ok: boolean; data?: { live: TherapistWatcher['lastLive'] } };
          if (a.ok) {
            this.watches++;
            this.lastLive = a.data?.live ?? null;
          }
        })
        .catch(() => undefined);
    });
    loose(this.socket).on('live:trial', (p) =>
      this.trialIds.push((p as { trial: { id: string } }).trial.id),
    );
    loose(this.socket).on('live:pose', (p) => {
      this.poses++;
      this.poseAliases.push((p as [string, string])[0]);
    });
    loose(this.socket).on(
      'live:session',
      (p) => (this.lastLive = p as TherapistWatcher['lastLive']),
    );
  }

  close(): void {
    this.socket.close();
  }
}

export interface Tally {
  finished: number;
  stored: number;
  lost: number;
  duplicated: number;
  /** Trials the headset had acknowledged that the server does not hold (acknowledged before commit). */
  ackedButMissing: number;
}

/** Compares what the headset finished with what the server holds for the session. */
export async function tally(
  url: string,
  therapistToken: string,
  sessionId: string,
  counts: HeadsetCounts,
): Promise<Tally> {
  const detail = await api<{ trials: { id: string; trialNumber: number }[] }>(
    url,
    'GET',
    `/api/sessions/${sessionId}`,
    therapistToken,
  );
  if (detail.status !== 200) throw new Error(`session ${sessionId}: ${detail.status}`);
  const ids = detail.body.trials.map((t) => t.id);
  const numbers = detail.body.trials.map((t) => t.trialNumber);
  const held = new Set(ids);
  return {
    finished: counts.finished.length,
    stored: ids.length,
    lost: counts.finished.filter((id) => !held.has(id)).length,
    duplicated: ids.length - held.size + (numbers.length - new Set(numbers).size),
    ackedButMissing: [...counts.acks.keys()].filter((id) => !held.has(id)).length,
  };
}

export const report = (label: string, injected: string, t: Tally, extra = ''): void => {
  console.log(
    `[faults] ${label}: injected ${injected}; trials finished ${t.finished}, stored ${t.stored}, ` +
      `lost ${t.lost}, duplicated ${t.duplicated}, acknowledged-but-missing ${t.ackedButMissing}${extra ? `; ${extra}` : ''}`,
  );
};

export interface PlayedSession {
  tally: Tally;
  watcher: TherapistWatcher;
  counts: HeadsetCounts;
  /** Trials finished while the fault was being injected. */
  finishedDuringFault: number;
  /** Milliseconds from the end of the fault until the outbox was empty. */
  drainMs: number;
}

/**
 * A live session: the headset finishes a trial every `trialEveryMs`, the therapist watches; after
 * 2 s `inject` runs (the fault), play goes on 2 s more, the session ends and the outbox drains.
 */
export async function playSession(options: {
  headsetUrl: string;
  watcherUrl: string;
  clinic: { therapistToken: string; deviceToken: string; patientId: string };
  trialEveryMs: number;
  inject: (live: { watcher: TherapistWatcher; headset: SimulatedHeadset }) => Promise<void>;
  /** Where to read the stored trials back (default: the watcher's server), known after `inject`. */
  tallyUrl?: string | (() => string);
  drainTimeoutMs?: number;
  /** For both sockets, e.g. `{ ca }` behind a TLS proxy. */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}): Promise<PlayedSession> {
  const { clinic } = options;
  const watcher = new TherapistWatcher(
    options.watcherUrl,
    clinic.therapistToken,
    clinic.patientId,
    options.socketOptions,
  );
  const queue = new DurableQueue();
  const counts = SimulatedHeadset.newCounts();
  const sessionId = newSessionId();
  const headset = new SimulatedHeadset(
    options.headsetUrl,
    clinic.deviceToken,
    queue,
    counts,
    sessionId,
    options.socketOptions,
  );
  headset.startSession();
  const game = setInterval(() => headset.finishTrial(), options.trialEveryMs);
  try {
    await sleep(2000);
    const before = counts.finished.length;
    await options.inject({ watcher, headset });
    const finishedDuringFault = counts.finished.length - before;
    const faultOver = Date.now();
    await sleep(2000);
    clearInterval(game);
    headset.endSession();
    await waitFor(
      () => queue.items.length === 0,
      options.drainTimeoutMs ?? 60_000,
      'the outbox to drain',
    );
    const drainMs = Date.now() - faultOver;
    await sleep(300);
    const tallyUrl = typeof options.tallyUrl === 'function' ? options.tallyUrl() : options.tallyUrl;
    const t = await tally(tallyUrl ?? options.watcherUrl, clinic.therapistToken, sessionId, counts);
    return { tally: t, watcher, counts, finishedDuringFault, drainMs };
  } finally {
    clearInterval(game);
    headset.close();
    watcher.close();
  }
}
