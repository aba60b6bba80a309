import type { Principal } from '../auth/principal';
import { localTokenBudgets, type TokenBudgets } from '../auth/shared-limits';

/** One headset needs one socket, two across a reload; a dashboard a few tabs. */
export const MAX_SOCKETS_PER_TOKEN = 4;

/** The rate limits one token draws on (shared-limits.ts: local, or counted across processes). */
export type Budgets = TokenBudgets;

/** A device is its pairing; a therapist is one login, so two logins are two budgets. */
export function principalKey(principal: Principal): string {
  return principal.role === 'therapist'
    ? `login:${principal.tokenId}`
    : `device:${principal.deviceId}`;
}

/**
 * Per-process budgets keyed by principal, so opening more sockets does not multiply a token's
 * budget; an entry lives while the token has a socket open.
 */
export class PrincipalBudgets {
  private readonly entries = new Map<string, { sockets: number; budgets: Budgets }>();

  constructor(private readonly makeBudgets: (key: string) => Budgets = () => localTokenBudgets()) {}

  /** The shared budgets, or null when the token already has its maximum of open sockets. */
  acquire(key: string): Budgets | null {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { sockets: 0, budgets: this.makeBudgets(key) };
      this.entries.set(key, entry);
    }
    if (entry.sockets >= MAX_SOCKETS_PER_TOKEN) return null;
    entry.sockets += 1;
    return entry.budgets;
  }

  /** Call once for every successful `acquire`, when that socket is gone. */
  release(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    entry.sockets -= 1;
    if (entry.sockets <= 0) {
      this.entries.delete(key);
      entry.budgets.dispose();
    }
  }

  openSockets(key: string): number {
    return this.entries.get(key)?.sockets ?? 0;
  }
}
