import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignInThrottle } from '../../../server/auth/rate-limit';
import { CONFIG_RANGES, loadConfig } from '../../../server/config';

describe('SignInThrottle', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds an account 0, 0, 1, 2, 4 ... s after its failures in a row, capped at 30 s', () => {
    const throttle = new SignInThrottle();
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map((n) => throttle.delayAfter(n))).toEqual([
      0, 0, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('checks one attempt of an account at a time, resets on success, and leaves other accounts alone', async () => {
    vi.useFakeTimers();
    const throttle = new SignInThrottle(1, 30_000, 15 * 60_000, () => Date.now());
    const order: string[] = [];
    const attempt = (account: string, label: string, ok: boolean) =>
      throttle.attempt(account, async () => {
        order.push(label);
        return ok ? label : null;
      });
    const wrong1 = attempt('ada', 'wrong-1', false); // 1st failure: held 1 s
    const right = attempt('ada', 'right', true); // waits its turn, then succeeds
    const other = attempt('ben', 'ben', true); // another account is not held
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['wrong-1', 'ben']);
    await expect(other).resolves.toBe('ben');
    await vi.advanceTimersByTimeAsync(999);
    expect(order).toEqual(['wrong-1', 'ben']);
    await vi.advanceTimersByTimeAsync(1);
    await expect(wrong1).resolves.toBeNull();
    await expect(right).resolves.toBe('right');
    // The success reset the count: the next failure is held 1 s again, not 2 s.
    const wrong2 = attempt('ada', 'wrong-2', false);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(wrong2).resolves.toBeNull();
  });
});

describe('numeric settings', () => {
  it('accepts the bounds and refuses beyond them, naming the variable and its range', () => {
    expect(loadConfig({ SESSION_TTL_MINUTES: '35791' }).sessionTtlMinutes).toBe(35791);
    expect(loadConfig({ SESSION_TTL_MINUTES: '1' }).sessionTtlMinutes).toBe(1);
    expect(loadConfig({}).sessionTtlMinutes).toBe(720);
    expect(CONFIG_RANGES.SESSION_TTL_MINUTES.max * 60_000).toBeLessThanOrEqual(2 ** 31 - 1);
    for (const value of ['0', '35792', '-5', '12.5', 'abc', '1e3']) {
      expect(() => loadConfig({ SESSION_TTL_MINUTES: value })).toThrow(
        `SESSION_TTL_MINUTES must be a whole number from 1 to 35791 (got "${value}")`,
      );
    }
    expect(() => loadConfig({ PORT: '65536' })).toThrow(
      'PORT must be a whole number from 0 to 65535',
    );
  });
});
