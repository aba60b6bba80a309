/** Token bucket: `ratePerSecond` sustained, up to `burst` at once. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Spends everything: what comes next is only what refills from now. */
  drain(): void {
    this.tokens = 0;
    this.last = this.now();
  }
}

const MAX_TRACKED_ACCOUNTS = 10_000;

interface AccountLane {
  /** Failed attempts in a row (forgotten after `windowMs` without one). */
  failures: number;
  lastFailureAt: number;
  /** Settles when the account's previous attempt (with its delay) is over. */
  lane: Promise<void>;
  inFlight: number;
}

/**
 * Sign-in attempts per account, from any address: one at a time, and after `freeFailures` failures
 * in a row each further failure holds the account for a delay that doubles up to `maxDelayMs`
 * before it is answered. Many addresses then buy no more guesses than one (at most one per
 * `maxDelayMs` once the delay is at its cap), while a stranger cannot lock the therapist out: the
 * right password is never refused, it only waits its turn, and succeeding resets the count.
 */
export class SignInThrottle {
  private readonly accounts = new Map<string, AccountLane>();

  constructor(
    readonly freeFailures = 3,
    readonly maxDelayMs = 30_000,
    private readonly windowMs = 15 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** How long the account is held after its `failures`-th failure in a row. */
  delayAfter(failures: number): number {
    if (failures < this.freeFailures) return 0;
    return Math.min(this.maxDelayMs, 1000 * 2 ** (failures - this.freeFailures));
  }

  /** Runs `check` in the account's turn; `null` from it is a failed attempt. */
  async attempt<T>(account: string, check: () => Promise<T | null>): Promise<T | null> {
    const state = this.laneOf(account);
    const previous = state.lane;
    let release!: () => void;
    state.lane = new Promise<void>((resolve) => (release = resolve));
    state.inFlight += 1;
    try {
      await previous;
      if (state.failures > 0 && this.now() - state.lastFailureAt >= this.windowMs) {
        state.failures = 0;
      }
      const result = await check();
      if (result !== null) {
        state.failures = 0;
        return result;
      }
      state.failures += 1;
      state.lastFailureAt = this.now();
      const delay = this.delayAfter(state.failures);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return null;
    } finally {
      state.inFlight -= 1;
      release();
      if (state.inFlight === 0 && state.failures === 0) this.accounts.delete(account);
    }
  }

  private laneOf(account: string): AccountLane {
    let state = this.accounts.get(account);
    if (state === undefined) {
      state = { failures: 0, lastFailureAt: 0, lane: Promise.resolve(), inFlight: 0 };
      this.accounts.set(account, state);
      if (this.accounts.size > MAX_TRACKED_ACCOUNTS) this.prune();
    }
    return state;
  }

  private prune(): void {
    const t = this.now();
    for (const [account, state] of this.accounts) {
      if (state.inFlight === 0 && t - state.lastFailureAt >= this.windowMs) {
        this.accounts.delete(account);
      }
    }
    // Still full (thousands of made-up usernames): forget the oldest idle ones, so memory stays
    // bounded; a forgotten account only starts its delays over.
    for (const [account, state] of this.accounts) {
      if (this.accounts.size <= MAX_TRACKED_ACCOUNTS / 2) break;
      if (state.inFlight === 0) this.accounts.delete(account);
    }
  }
}
