import { describe, expect, it } from 'vitest';
import { reconnectDelayMs, refusalIsFinal } from '../../../shared/protocol/reconnect';

describe('reconnect policy', () => {
  it('retries every handshake refusal except a bad token and an out-of-date page', () => {
    expect(refusalIsFinal('unauthenticated')).toBe(true);
    expect(refusalIsFinal('protocol_mismatch')).toBe(true);
    expect(refusalIsFinal('internal')).toBe(false);
    expect(refusalIsFinal('rate_limited')).toBe(false);
    expect(refusalIsFinal('websocket error')).toBe(false);
  });

  it('doubles from 1 s to at most 5 s, spread ±50 %', () => {
    expect([0, 1, 2, 3, 10, 1e9].map((n) => reconnectDelayMs(n, 0.5))).toEqual([
      1000, 2000, 4000, 5000, 5000, 5000,
    ]);
    expect(reconnectDelayMs(0, 0)).toBe(500);
    expect(reconnectDelayMs(0, 0.999999)).toBe(1500);
    expect(reconnectDelayMs(1, 0)).toBe(1000);
    expect(reconnectDelayMs(2, 1)).toBe(5000);
    expect(reconnectDelayMs(-3, 0.5)).toBe(1000);
  });
});
