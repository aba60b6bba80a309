import { z } from 'zod';
import {
  BASE64_PATTERN,
  idSchema,
  MAX_POSE_FRAME_BASE64_LENGTH,
  POSE_ALIAS_LENGTH,
} from '../../shared/protocol';

/**
 * The pure parts of relaying pose frames between the server processes of a clinic
 * (server/live/pose-relay.ts does the I/O): which processes watch which patients, frames batched
 * per destination process, and the batch's wire form.
 */

/** A batch's frames, flat: patient id, pose alias, frame text, patient id, ... */
export type PoseBatchEntries = string[];

const FIELDS_PER_FRAME = 3;

/** Frames bound for other processes, gathered per destination until the next flush. */
export class PoseBatcher {
  private readonly batches = new Map<string, PoseBatchEntries>();

  /** `maxFrames`: a batch that reaches it is to be flushed at once, not grown further. */
  constructor(readonly maxFrames: number) {}

  /** Adds a frame for `destination`; true when its batch is full now (flush it before more). */
  add(destination: string, patientId: string, alias: string, frame: string): boolean {
    let entries = this.batches.get(destination);
    if (entries === undefined) {
      entries = [];
      this.batches.set(destination, entries);
    }
    entries.push(patientId, alias, frame);
    return entries.length >= this.maxFrames * FIELDS_PER_FRAME;
  }

  /** The batch gathered for `destination`, removed; null when it has none. */
  take(destination: string): PoseBatchEntries | null {
    const entries = this.batches.get(destination);
    if (entries === undefined) return null;
    this.batches.delete(destination);
    return entries;
  }

  /** Every gathered batch, removed. */
  takeAll(): Map<string, PoseBatchEntries> {
    const all = new Map(this.batches);
    this.batches.clear();
    return all;
  }

  get isEmpty(): boolean {
    return this.batches.size === 0;
  }
}

/** How many frames a batch holds. */
export const framesIn = (entries: PoseBatchEntries): number => entries.length / FIELDS_PER_FRAME;

export const encodePoseBatch = (entries: PoseBatchEntries): string => JSON.stringify(entries);

const ALIAS_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * A batch read from Redis, checked field by field (cheaper than a schema per frame): null for
 * anything but a flat list of (patient id, alias, frame) within `maxFrames`.
 */
export function decodePoseBatch(text: string, maxFrames: number): PoseBatchEntries | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length % FIELDS_PER_FRAME !== 0 ||
    parsed.length > maxFrames * FIELDS_PER_FRAME
  )
    return null;
  for (let i = 0; i < parsed.length; i += FIELDS_PER_FRAME) {
    const patientId: unknown = parsed[i];
    const alias: unknown = parsed[i + 1];
    const frame: unknown = parsed[i + 2];
    if (
      typeof patientId !== 'string' ||
      patientId.length === 0 ||
      patientId.length > 64 ||
      typeof alias !== 'string' ||
      alias.length !== POSE_ALIAS_LENGTH ||
      !ALIAS_PATTERN.test(alias) ||
      typeof frame !== 'string' ||
      frame.length > MAX_POSE_FRAME_BASE64_LENGTH ||
      !BASE64_PATTERN.test(frame)
    )
      return null;
  }
  return parsed as PoseBatchEntries;
}

/** A process's name on the watch channel and in its inbox channel. */
const processIdSchema = z.string().regex(/^[0-9a-f]{16}$/);

/** More than any one process's watchers can hold open at once. */
export const MAX_ANNOUNCED_PATIENTS = 100_000;

/**
 * What the processes tell each other on the watch channel: the patients they have watchers for
 * (all of them, periodically, which also renews their lease; or one joined or left), a newcomer
 * asking for everyone's list, a process leaving.
 */
export const watchAnnouncementSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('watching'),
    from: processIdSchema,
    patients: z.array(idSchema).max(MAX_ANNOUNCED_PATIENTS),
  }),
  z.object({ kind: z.literal('watch'), from: processIdSchema, patientId: idSchema }),
  z.object({ kind: z.literal('unwatch'), from: processIdSchema, patientId: idSchema }),
  z.object({ kind: z.literal('hello'), from: processIdSchema }),
  z.object({ kind: z.literal('bye'), from: processIdSchema }),
]);
export type WatchAnnouncement = z.infer<typeof watchAnnouncementSchema>;

/**
 * Which other processes have watchers for which patients, as they announced it. A process's
 * list holds until `leaseMs` after its last full list: one that died stops renewing it and is
 * forgotten, so frames do not go on being published for it.
 */
export class RemoteWatchers {
  private readonly byProcess = new Map<string, { patients: Set<string>; expiresAt: number }>();
  private readonly byPatient = new Map<string, Set<string>>();

  constructor(readonly leaseMs: number) {}

  /** The processes with watchers of `patientId`; undefined when none. */
  processesWatching(patientId: string): ReadonlySet<string> | undefined {
    return this.byPatient.get(patientId);
  }

  /** Applies an announcement made by another process, received at `now`. */
  apply(announcement: WatchAnnouncement, now: number): void {
    switch (announcement.kind) {
      case 'watching':
        this.forget(announcement.from);
        for (const patientId of announcement.patients) this.add(announcement.from, patientId, now);
        this.process(announcement.from, now).expiresAt = now + this.leaseMs;
        return;
      case 'watch':
        this.add(announcement.from, announcement.patientId, now);
        return;
      case 'unwatch':
        this.remove(announcement.from, announcement.patientId);
        return;
      case 'bye':
        this.forget(announcement.from);
        return;
      case 'hello':
        return;
    }
  }

  /** Forgets the processes whose lease ran out by `now`. */
  expire(now: number): void {
    for (const [processId, entry] of this.byProcess)
      if (entry.expiresAt <= now) this.forget(processId);
  }

  private process(processId: string, now: number) {
    let entry = this.byProcess.get(processId);
    if (entry === undefined) {
      entry = { patients: new Set(), expiresAt: now + this.leaseMs };
      this.byProcess.set(processId, entry);
    }
    return entry;
  }

  private add(processId: string, patientId: string, now: number): void {
    this.process(processId, now).patients.add(patientId);
    let processes = this.byPatient.get(patientId);
    if (processes === undefined) {
      processes = new Set();
      this.byPatient.set(patientId, processes);
    }
    processes.add(processId);
  }

  private remove(processId: string, patientId: string): void {
    this.byProcess.get(processId)?.patients.delete(patientId);
    const processes = this.byPatient.get(patientId);
    if (processes === undefined) return;
    processes.delete(processId);
    if (processes.size === 0) this.byPatient.delete(patientId);
  }

  private forget(processId: string): void {
    const entry = this.byProcess.get(processId);
    if (entry === undefined) return;
    for (const patientId of entry.patients) this.remove(processId, patientId);
    this.byProcess.delete(processId);
  }
}
