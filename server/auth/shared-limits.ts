import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { createClient } from 'redis';
import type { Logger } from '../logger';
import { SignInThrottle, TokenBucket } from './rate-limit';

/**
 * The guessing limits (sign-in and pairing lockouts) and the per-token rate budgets, counted in
 * Redis when the clinic runs several processes, so N processes do not give N times the guesses
 * or N times the budget; in this process's memory otherwise. Redis unreachable: each limiter
 * falls back to its in-memory twin (rate-limiter-flexible's insurance limiter), never fails open.
 */
export interface ClinicLimits {
  failedLoginsByIp: AttemptCounter;
  wrongPairingCodesByIp: AttemptCounter;
  pairRequestsByIp: AttemptCounter;
  signIn: SharedSignInThrottle;
  /** The rate budgets of one token (all its sockets on this process); dispose when it has none. */
  tokenBudgets(key: string): TokenBudgets;
  close(): Promise<void>;
}

const LOGIN_ATTEMPTS_PER_WINDOW = 10;
/** A million codes: five wrong guesses per address per window make guessing hopeless. */
const WRONG_CODES_PER_WINDOW = 5;
const PAIR_REQUESTS_PER_WINDOW = 30;
const GUESS_WINDOW_SECONDS = 15 * 60;

/** Pose frames come at 30-90 Hz; everything else is a human-paced event. */
export const BUDGETS = {
  pose: { ratePerSecond: 120, burst: 240 },
  events: { ratePerSecond: 20, burst: 40 },
  /** Errors about fire-and-forget events are themselves limited, or a flood would echo back. */
  errors: { ratePerSecond: 5, burst: 5 },
} as const;
export type BudgetKind = keyof typeof BUDGETS;

/** How often a process adds what its tokens spent to the clinic-wide count (see SharedBudget). */
export const BUDGET_SYNC_MS = 200;

type LimiterOptions = { keyPrefix: string; points: number; duration: number };

/** Makes limiters of one kind: Redis-backed with an in-memory insurance, or in memory. */
type LimiterFactory = (options: LimiterOptions) => RateLimiterAbstract;

/** Counts events per key in a fixed window: login failures per address, wrong pairing codes... */
export class AttemptCounter {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    readonly limit: number,
  ) {}

  async isBlocked(key: string): Promise<boolean> {
    const counted = await this.limiter.get(key);
    return counted !== null && counted.consumedPoints >= this.limit;
  }

  async add(key: string): Promise<void> {
    await this.limiter.penalty(key, 1);
  }
}

/** How long the turn of one sign-in check may last before another process may take it. */
const TURN_LEASE_SECONDS = 10;
const TURN_POLL_MS = 100;

/**
 * Sign-in attempts per account, across every process of the clinic: one check at a time, and
 * after `freeFailures` failures in a row each further failure holds the account (in the shared
 * store) for a delay that doubles up to `maxDelayMs`. Within a process attempts queue in order
 * (SignInThrottle's lane); across processes the turn is a lease in the shared store. The right
 * password is never refused, it only waits its turn; succeeding resets the count.
 */
export class SharedSignInThrottle {
  /** Only the in-process queue: the delays are counted in the shared store. */
  private readonly lane = new SignInThrottle(Number.POSITIVE_INFINITY);
  private readonly delays = new SignInThrottle();
  private readonly turns: RateLimiterAbstract;
  private readonly failures: RateLimiterAbstract;

  constructor(makeLimiter: LimiterFactory, windowSeconds = GUESS_WINDOW_SECONDS) {
    this.turns = makeLimiter({
      keyPrefix: 'sign-in-turn',
      points: 1,
      duration: TURN_LEASE_SECONDS,
    });
    this.failures = makeLimiter({
      keyPrefix: 'sign-in-failures',
      points: Number.MAX_SAFE_INTEGER,
      duration: windowSeconds,
    });
  }

  /** How long the account is held after its `failures`-th failure in a row. */
  delayAfter(failures: number): number {
    return this.delays.delayAfter(failures);
  }

  /** Runs `check` in the account's turn; `null` from it is a failed attempt. */
  attempt<T>(account: string, check: () => Promise<T | null>): Promise<T | null> {
    return this.lane.attempt(account, () => this.inTurn(account, check));
  }

  private async inTurn<T>(account: string, check: () => Promise<T | null>): Promise<T | null> {
    await this.takeTurn(account);
    let holdMs = 0;
    try {
      const result = await check();
      if (result !== null) {
        await this.failures.delete(account);
        return result;
      }
      const counted = await this.failures.penalty(account, 1);
      holdMs = this.delayAfter(counted.consumedPoints);
      if (holdMs > 0) {
        await this.turns.block(account, holdMs / 1000);
        await new Promise((resolve) => setTimeout(resolve, holdMs));
      }
      return null;
    } finally {
      if (holdMs === 0) await this.turns.delete(account).catch(() => undefined);
    }
  }

  private async takeTurn(account: string): Promise<void> {
    for (;;) {
      try {
        await this.turns.consume(account, 1);
        return;
      } catch (refused) {
        if (!(refused instanceof RateLimiterRes)) throw refused;
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(TURN_POLL_MS, Math.max(1, refused.msBeforeNext))),
        );
      }
    }
  }
}

/** What the socket gate asks of a budget: may one more event pass now? Synchronous. */
export interface RateBudget {
  take(): boolean;
}

/** The rate limits one token draws on, whichever of its sockets an event arrives on. */
export interface TokenBudgets {
  pose: RateBudget;
  events: RateBudget;
  errors: RateBudget;
  dispose(): void;
}

/** One process alone: plain token buckets. */
export function localTokenBudgets(now: () => number = Date.now): TokenBudgets {
  const bucket = (kind: BudgetKind) =>
    new TokenBucket(BUDGETS[kind].ratePerSecond, BUDGETS[kind].burst, now);
  return {
    pose: bucket('pose'),
    events: bucket('events'),
    errors: bucket('errors'),
    dispose: () => undefined,
  };
}

/**
 * A token's budget shared by the clinic's processes without a Redis round trip per event: each
 * process gates on its own token bucket at once, and every BUDGET_SYNC_MS adds what it let
 * through to a clinic-wide count (`burst` per `burst / ratePerSecond` seconds). Over the count,
 * every process refuses the token until the window ends. A token spread over N processes thus
 * gets its budget plus at most one sync interval's worth per process, not N budgets.
 */
class SharedBudget implements RateBudget {
  private readonly local: TokenBucket;
  private spentSinceSync = 0;
  private refusedUntil = 0;

  constructor(
    readonly key: string,
    readonly kind: BudgetKind,
  ) {
    const { ratePerSecond, burst } = BUDGETS[kind];
    this.local = new TokenBucket(ratePerSecond, burst);
  }

  take(): boolean {
    if (this.refusedUntil !== 0) {
      if (Date.now() < this.refusedUntil) return false;
      // What refilled locally while refused is not this process's to spend at once.
      this.refusedUntil = 0;
      this.local.drain();
    }
    if (!this.local.take()) return false;
    this.spentSinceSync += 1;
    return true;
  }

  /** The events let through since the last sync, now counted. */
  drain(): number {
    const spent = this.spentSinceSync;
    this.spentSinceSync = 0;
    return spent;
  }

  refuseFor(ms: number): void {
    this.refusedUntil = Date.now() + ms;
  }
}

/** Sends each live budget's spending to the shared count, a few times a second. */
class BudgetSync {
  private readonly live = new Set<SharedBudget>();
  private readonly limiters: Record<BudgetKind, RateLimiterAbstract>;
  private readonly timer: NodeJS.Timeout;

  constructor(makeLimiter: LimiterFactory, log: Logger) {
    const limiterOf = (kind: BudgetKind) => {
      const { ratePerSecond, burst } = BUDGETS[kind];
      return makeLimiter({
        keyPrefix: `budget-${kind}`,
        points: burst,
        duration: Math.max(1, Math.round(burst / ratePerSecond)),
      });
    };
    this.limiters = {
      pose: limiterOf('pose'),
      events: limiterOf('events'),
      errors: limiterOf('errors'),
    };
    this.timer = setInterval(() => {
      this.sync().catch((err: unknown) =>
        log.warn('rate budget sync failed', { err: String(err) }),
      );
    }, BUDGET_SYNC_MS);
    this.timer.unref();
  }

  tokenBudgets(key: string): TokenBudgets {
    const budgets = {
      pose: new SharedBudget(key, 'pose'),
      events: new SharedBudget(key, 'events'),
      errors: new SharedBudget(key, 'errors'),
    };
    for (const budget of Object.values(budgets)) this.live.add(budget);
    return {
      ...budgets,
      dispose: () => {
        for (const budget of Object.values(budgets)) this.live.delete(budget);
      },
    };
  }

  private async sync(): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const budget of this.live) {
      const spent = budget.drain();
      if (spent === 0) continue;
      pending.push(
        this.limiters[budget.kind].penalty(budget.key, spent).then((counted) => {
          if (counted.consumedPoints > BUDGETS[budget.kind].burst)
            budget.refuseFor(counted.msBeforeNext);
        }),
      );
    }
    await Promise.all(pending);
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** Every limit of this process, in memory. */
export function inMemoryLimits(): ClinicLimits {
  return assemble(
    (options) => new RateLimiterMemory(options),
    null,
    async () => undefined,
  );
}

/** Every limit counted in the clinic's Redis (keys under `<prefix>:limits:`). */
export async function redisLimits(url: string, prefix: string, log: Logger): Promise<ClinicLimits> {
  const client = createClient({ url });
  client.on('error', (err: unknown) => log.warn('redis error (limits)', { err: String(err) }));
  await client.connect();
  const makeLimiter: LimiterFactory = (options) =>
    new RateLimiterRedis({
      ...options,
      keyPrefix: `${prefix}:limits:${options.keyPrefix}`,
      storeClient: client,
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  return assemble(makeLimiter, new BudgetSync(makeLimiter, log), async () => {
    await client.quit().catch(() => undefined);
  });
}

/** `budgets` null: one process, whose token buckets need no shared count. */
function assemble(
  makeLimiter: LimiterFactory,
  budgets: BudgetSync | null,
  closeStore: () => Promise<void>,
): ClinicLimits {
  const counter = (keyPrefix: string, limit: number) =>
    new AttemptCounter(
      makeLimiter({ keyPrefix, points: limit, duration: GUESS_WINDOW_SECONDS }),
      limit,
    );
  return {
    failedLoginsByIp: counter('login-failures-ip', LOGIN_ATTEMPTS_PER_WINDOW),
    wrongPairingCodesByIp: counter('pairing-wrong-ip', WRONG_CODES_PER_WINDOW),
    pairRequestsByIp: counter('pairing-requests-ip', PAIR_REQUESTS_PER_WINDOW),
    signIn: new SharedSignInThrottle(makeLimiter),
    tokenBudgets: (key) => (budgets === null ? localTokenBudgets() : budgets.tokenBudgets(key)),
    close: async () => {
      budgets?.close();
      await closeStore();
    },
  };
}
