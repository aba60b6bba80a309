import { describe, expect, it } from 'vitest';
import {
  ackVerdict,
  belongsToPairing,
  entriesToRestore,
  headOfQueue,
  parseJournal,
  retryDelayMs,
  type JournalEntry,
} from '../../../shared/game/outbox-queue';

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
});
