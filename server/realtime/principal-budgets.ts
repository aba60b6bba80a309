import type { Principal } from '../auth/principal';
import { TokenBucket } from '../auth/rate-limit';

/** Pose frames come at 30-90 Hz; everything else is a human-paced event. */
export const POSE_BUDGET = { ratePerSecond: 120, burst: 240 };
export const EVENT_BUDGET = { ratePerSecond: 20, burst: 40 };
/** Errors about fire-and-forget events are themselves limited, or a flood would echo back. */
export const SERVER_ERRORS_PER_SECOND = 5;
/** One headset needs one socket, two across a reload; a dashboard a few tabs. */
export const MAX_SOCKETS_PER_TOKEN = 4;

/** The rate limits one token draws on, whichever of its sockets an event arrives on. */
export interface Budgets {
  pose: TokenBucket;
  events: TokenBucket;
  errors: TokenBucket;
}

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

  constructor(private readonly now: () => number = Date.now) {}

  /** The shared budgets, or null when the token already has its maximum of open sockets. */
  acquire(key: string): Budgets | null {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { sockets: 0, budgets: this.fresh() };
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
    if (entry.sockets <= 0) this.entries.delete(key);
  }

  openSockets(key: string): number {
    return this.entries.get(key)?.sockets ?? 0;
  }

  private fresh(): Budgets {
    return {
      pose: new TokenBucket(POSE_BUDGET.ratePerSecond, POSE_BUDGET.burst, this.now),
      events: new TokenBucket(EVENT_BUDGET.ratePerSecond, EVENT_BUDGET.burst, this.now),
      errors: new TokenBucket(SERVER_ERRORS_PER_SECOND, SERVER_ERRORS_PER_SECOND, this.now),
    };
  }
}
