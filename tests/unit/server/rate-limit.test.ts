import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { TokenBucket } from '../../../server/auth/rate-limit';
import { AttemptCounter, SharedSignInThrottle } from '../../../server/auth/shared-limits';
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

describe('AttemptCounter', () => {
  it('blocks a key at the limit, other keys unaffected', async () => {
    const counter = new AttemptCounter(new RateLimiterMemory({ points: 2, duration: 60 }), 2);
    await counter.add('a');
    expect(await counter.isBlocked('a')).toBe(false);
    await counter.add('a');
    expect(await counter.isBlocked('a')).toBe(true);
    expect(await counter.isBlocked('b')).toBe(false);
  });
});

describe('SharedSignInThrottle', () => {
  it('counts failures in a row in the shared store: a second process holds the account too', async () => {
    // Two "processes" over one store, as with Redis.
    const store = new Map<string, RateLimiterMemory>();
    const shared = (options: { keyPrefix: string; points: number; duration: number }) => {
      let limiter = store.get(options.keyPrefix);
      if (limiter === undefined)
        store.set(options.keyPrefix, (limiter = new RateLimiterMemory(options)));
      return limiter;
    };
    const one = new SharedSignInThrottle(shared);
    const two = new SharedSignInThrottle(shared);
    const wrong = async () => null;
    for (let i = 0; i < 2; i++) await one.attempt('ada', wrong); // free failures
    const started = Date.now();
    await two.attempt('ada', wrong); // the 3rd in a row, on the other process: held 1 s
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    // Meanwhile the account's turn is held everywhere: the next check waits for it.
    const right = one.attempt('ada', async () => 'ok');
    await expect(right).resolves.toBe('ok');
    const again = Date.now();
    await two.attempt('ada', wrong); // reset by the success: a free failure again
    expect(Date.now() - again).toBeLessThan(500);
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
