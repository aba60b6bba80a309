import { randomBytes } from 'node:crypto';
import { rooms } from '../auth/principal';
import type { ReachIo } from '../context';
import type { Logger } from '../logger';
import type { RedisPubSub } from '../realtime/redis-adapter';
import {
  decodePoseBatch,
  encodePoseBatch,
  framesIn,
  PoseBatcher,
  RemoteWatchers,
  watchAnnouncementSchema,
  type PoseBatchEntries,
  type WatchAnnouncement,
} from './pose-batch';

/**
 * Relays a headset's pose frames to its patient's watchers, as `live:pose` `[alias, frame]`.
 * Frames are volatile: a watcher that cannot take one misses it, nothing queues without bound.
 */
export interface PoseRelay {
  relay(route: PoseRoute, frame: string): void;
  close(): Promise<void>;
}

/** Where a session's frames go: worked out once per session, not per frame (90 a second). */
export interface PoseRoute {
  readonly patientId: string;
  /** The patient's watchers' room (rooms.patientWatchers). */
  readonly watchersRoom: string;
  /** The session's name on the pose stream (poseAliasOf). */
  readonly alias: string;
}

export const poseRouteOf = (patientId: string, alias: string): PoseRoute => ({
  patientId,
  watchersRoom: rooms.patientWatchers(patientId),
  alias,
});

const WATCHERS_ROOM_PREFIX = rooms.patientWatchers('');

/** One process: the watchers are all here. */
export function localPoseRelay(io: ReachIo): PoseRelay {
  return {
    relay(route, frame) {
      io.local.to(route.watchersRoom).volatile.emit('live:pose', [route.alias, frame]);
    },
    close: async () => undefined,
  };
}

/**
 * Gives this process's watchers the frames of a batch from another process. Volatile emits
 * would drop all but the first frame a socket gets in one go (the socket is busy writing it), and
 * a batch holds a socket's frames of several patients, or two of one patient, side by side. So
 * each socket is asked once per batch: writable (its last write went out), it takes every frame
 * of the batch meant for it; still busy, it takes none. At most one batch waits per watcher.
 */
function deliverBatch(io: ReachIo, entries: PoseBatchEntries): void {
  const namespace = io.of('/');
  const takesBatch = new Map<string, boolean>();
  for (let i = 0; i < entries.length; i += 3) {
    const members = namespace.adapter.rooms.get(rooms.patientWatchers(entries[i]!));
    if (members === undefined) continue;
    const pose: [string, string] = [entries[i + 1]!, entries[i + 2]!];
    for (const socketId of members) {
      const socket = namespace.sockets.get(socketId);
      if (socket === undefined) continue;
      let takes = takesBatch.get(socketId);
      if (takes === undefined) {
        takes = socket.conn.transport.writable;
        takesBatch.set(socketId, takes);
      }
      if (takes) socket.emit('live:pose', pose);
    }
  }
}

/** Gathering frames for another process waits at most this long: the latency it adds. */
export const POSE_BATCH_MS = 10;
/** Frames in one batch at most (~80 KB); a full batch goes at once. */
export const MAX_FRAMES_PER_BATCH = 300;
/** Batches published and not yet answered by Redis; beyond it, batches are dropped, not queued. */
export const MAX_BATCHES_IN_FLIGHT = 32;
/** How often each process announces every patient it has watchers for, renewing its lease. */
export const WATCH_REFRESH_MS = 2_000;
/** A process not heard from for this long is taken for dead: no more frames for it. */
export const WATCH_LEASE_MS = 3 * WATCH_REFRESH_MS + 500;

export interface ClusterPoseRelayOptions {
  pub: RedisPubSub;
  sub: RedisPubSub;
  channelPrefix: string;
  log: Logger;
}

/**
 * Several processes (Redis): a frame goes to this process's watchers directly, and to the other
 * processes only if they have watchers of its patient, gathered per destination for up to
 * POSE_BATCH_MS into one Redis message (the adapter would publish each frame alone, encoded with
 * msgpack: the bottleneck of a cluster). Each process announces on a watch channel which
 * patients it has watchers for (its `patient:<id>` rooms): at once when a room appears or empties,
 * and all of them every WATCH_REFRESH_MS as a lease, so a process that dies is forgotten.
 */
export async function startClusterPoseRelay(
  io: ReachIo,
  { pub, sub, channelPrefix, log }: ClusterPoseRelayOptions,
): Promise<PoseRelay> {
  const processId = randomBytes(8).toString('hex');
  const watchChannel = `${channelPrefix}#pose-watch`;
  const inboxOf = (process: string) => `${channelPrefix}#pose#${process}`;
  const adapter = io.of('/').adapter;
  const local = localPoseRelay(io);
  const remote = new RemoteWatchers(WATCH_LEASE_MS);
  const batcher = new PoseBatcher(MAX_FRAMES_PER_BATCH);
  let inFlight = 0;
  let dropped = 0;
  let flushTimer: NodeJS.Timeout | null = null;

  const watchedPatients = (): string[] => {
    const patients: string[] = [];
    for (const room of adapter.rooms.keys())
      if (room.startsWith(WATCHERS_ROOM_PREFIX))
        patients.push(room.slice(WATCHERS_ROOM_PREFIX.length));
    return patients;
  };

  const announce = (announcement: WatchAnnouncement) => {
    pub
      .sPublish(watchChannel, JSON.stringify(announcement))
      .catch((err: unknown) => log.warn('pose watch announcement failed', { err: String(err) }));
  };
  const announceAll = () =>
    announce({ kind: 'watching', from: processId, patients: watchedPatients() });

  const publish = (destination: string, entries: PoseBatchEntries) => {
    if (!pub.isReady || inFlight >= MAX_BATCHES_IN_FLIGHT) {
      dropped += framesIn(entries);
      return;
    }
    inFlight++;
    pub
      .sPublish(inboxOf(destination), encodePoseBatch(entries))
      .catch(() => {
        dropped += framesIn(entries);
      })
      .finally(() => inFlight--);
  };

  const flush = () => {
    flushTimer = null;
    for (const [destination, entries] of batcher.takeAll()) publish(destination, entries);
  };

  const onRoomCreated = (room: string) => {
    if (room.startsWith(WATCHERS_ROOM_PREFIX))
      announce({
        kind: 'watch',
        from: processId,
        patientId: room.slice(WATCHERS_ROOM_PREFIX.length),
      });
  };
  const onRoomDeleted = (room: string) => {
    if (room.startsWith(WATCHERS_ROOM_PREFIX))
      announce({
        kind: 'unwatch',
        from: processId,
        patientId: room.slice(WATCHERS_ROOM_PREFIX.length),
      });
  };

  const onAnnouncement = (message: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      parsed = null;
    }
    const announcement = watchAnnouncementSchema.safeParse(parsed);
    if (!announcement.success) {
      log.warn('malformed pose watch announcement ignored');
      return;
    }
    if (announcement.data.from === processId) return;
    remote.apply(announcement.data, Date.now());
    if (announcement.data.kind === 'hello') announceAll();
  };

  const onBatch = (message: string) => {
    const entries = decodePoseBatch(message, MAX_FRAMES_PER_BATCH);
    if (entries === null) {
      log.warn('malformed pose batch ignored');
      return;
    }
    deliverBatch(io, entries);
  };

  adapter.on('create-room', onRoomCreated);
  adapter.on('delete-room', onRoomDeleted);
  await sub.sSubscribe(watchChannel, onAnnouncement);
  await sub.sSubscribe(inboxOf(processId), onBatch);
  announce({ kind: 'hello', from: processId });
  announceAll();

  let lastDroppedReport = 0;
  const refresh = setInterval(() => {
    announceAll();
    remote.expire(Date.now());
    if (dropped !== lastDroppedReport) {
      log.warn('pose frames for other processes dropped (Redis slow or away)', {
        frames: dropped - lastDroppedReport,
      });
      lastDroppedReport = dropped;
    }
  }, WATCH_REFRESH_MS);
  refresh.unref();

  return {
    relay(route, frame) {
      local.relay(route, frame);
      const processes = remote.processesWatching(route.patientId);
      if (processes === undefined) return;
      for (const destination of processes) {
        if (batcher.add(destination, route.patientId, route.alias, frame))
          publish(destination, batcher.take(destination)!);
      }
      if (flushTimer === null && !batcher.isEmpty) flushTimer = setTimeout(flush, POSE_BATCH_MS);
    },

    async close() {
      clearInterval(refresh);
      if (flushTimer !== null) clearTimeout(flushTimer);
      adapter.off('create-room', onRoomCreated);
      adapter.off('delete-room', onRoomDeleted);
      announce({ kind: 'bye', from: processId });
      await Promise.allSettled([
        sub.sUnsubscribe(watchChannel, onAnnouncement),
        sub.sUnsubscribe(inboxOf(processId), onBatch),
      ]);
    },
  };
}
