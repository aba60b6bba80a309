import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { TokenBucket, WindowCounter } from '../../../server/auth/rate-limit';
import { originAllowed } from '../../../server/realtime/handshake';

describe('TokenBucket', () => {
  it('allows the burst, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    now = 100; // 0.1 s at 10/s refills one token
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now = 10_000; // never more than the burst
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('WindowCounter', () => {
  it('blocks a key at the limit until its window ends, other keys unaffected', () => {
    let now = 0;
    const counter = new WindowCounter(2, 1000, () => now);
    counter.add('a');
    expect(counter.isBlocked('a')).toBe(false);
    counter.add('a');
    expect(counter.isBlocked('a')).toBe(true);
    expect(counter.isBlocked('b')).toBe(false);
    now = 999;
    expect(counter.isBlocked('a')).toBe(true);
    now = 1000;
    expect(counter.isBlocked('a')).toBe(false);
  });
});

describe('originAllowed', () => {
  const req = (origin: string | undefined, host = 'clinic.local:8443') =>
    ({ headers: { origin, host } }) as unknown as IncomingMessage;

  it.each([
    [undefined, [], true],
    ['https://clinic.local:8443', [], true],
    ['http://clinic.local:8443', [], true],
    ['https://evil.example', [], false],
    ['https://evil.example', ['https://evil.example'], true],
    ['not a url', [], false],
  ] as const)('origin %s with allow-list %j -> %s', (origin, allowed, expected) => {
    expect(originAllowed(req(origin), allowed)).toBe(expected);
  });
});
