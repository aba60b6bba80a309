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
