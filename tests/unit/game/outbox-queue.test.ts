import { describe, expect, it } from 'vitest';
import { ackVerdict, headOfQueue, retryDelayMs } from '../../../shared/game/outbox-queue';

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
  });

  it('backs off exponentially up to 30 s', () => {
    expect([0, 1, 2, 3, 10].map(retryDelayMs)).toEqual([500, 1000, 2000, 4000, 30000]);
  });
});
