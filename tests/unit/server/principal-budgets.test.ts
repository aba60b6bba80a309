import { describe, expect, it } from 'vitest';
import { BUDGETS, localTokenBudgets } from '../../../server/auth/shared-limits';
import {
  MAX_SOCKETS_PER_TOKEN,
  PrincipalBudgets,
  principalKey,
} from '../../../server/realtime/principal-budgets';

describe('PrincipalBudgets', () => {
  it('gives every socket of one token the same buckets, up to the socket limit', () => {
    const budgets = new PrincipalBudgets(() => localTokenBudgets(() => 0));
    const first = budgets.acquire('device:a');
    const second = budgets.acquire('device:a');
    expect(first).not.toBeNull();
    expect(second).toBe(first);
    for (let i = 0; i < BUDGETS.events.burst; i++) first!.events.take();
    expect(second!.events.take()).toBe(false);
    expect(budgets.acquire('device:b')!.events.take()).toBe(true);
    expect(budgets.acquire('device:a')).toBe(first);
    expect(budgets.acquire('device:a')).toBe(first);
    expect(budgets.openSockets('device:a')).toBe(MAX_SOCKETS_PER_TOKEN);
    expect(budgets.acquire('device:a')).toBeNull();
  });

  it('frees a slot on release and forgets the token when its last socket leaves', () => {
    const budgets = new PrincipalBudgets(() => localTokenBudgets(() => 0));
    const held = Array.from({ length: MAX_SOCKETS_PER_TOKEN }, () => budgets.acquire('login:t'));
    for (let i = 0; i < BUDGETS.events.burst; i++) held[0]!.events.take();
    budgets.release('login:t');
    expect(budgets.acquire('login:t')).toBe(held[0]);
    for (let i = 0; i < MAX_SOCKETS_PER_TOKEN; i++) budgets.release('login:t');
    expect(budgets.openSockets('login:t')).toBe(0);
    const fresh = budgets.acquire('login:t');
    expect(fresh).not.toBe(held[0]);
    expect(fresh!.events.take()).toBe(true);
  });

  it('keys devices by pairing and therapists by login', () => {
    expect(principalKey({ role: 'device', deviceId: 'd1', patientId: 'p1' })).toBe('device:d1');
    expect(
      principalKey({
        role: 'therapist',
        therapistId: 't1',
        username: 'u',
        tokenId: 'k1',
        expiresAt: '2030-01-01T00:00:00.000Z',
      }),
    ).toBe('login:k1');
  });
});
