/**
 * When the pages connect again. Socket.IO's client retries a dropped transport by itself, but it
 * gives up on two things a clinic meets daily: the server closing the socket (it does so for every
 * socket when it restarts) and a handshake refusal (`internal` on a database error, `rate_limited`
 * on a fifth socket). Both are retried here, except the refusals no retry can cure.
 */

/** Refusals that end the connection for good: the token is no longer valid, or the page is too old. */
const FINAL_REFUSALS: ReadonlySet<string> = new Set(['unauthenticated', 'protocol_mismatch']);

/** `code` is the handshake refusal's `err.message` (see docs/protocol.md, Connecting). */
export const refusalIsFinal = (code: string): boolean => FINAL_REFUSALS.has(code);

export const RECONNECT_DELAY_MS = 1000;
export const RECONNECT_DELAY_MAX_MS = 5000;
/** ±50 % spread, so a clinic's pages do not all knock at the same instant after a restart. */
export const RECONNECT_JITTER = 0.5;

/**
 * Milliseconds before retry number `attempt` (0 for the first): doubling from RECONNECT_DELAY_MS,
 * spread by `random` in [0, 1) (0.5 means no spread), never above RECONNECT_DELAY_MAX_MS.
 */
export function reconnectDelayMs(attempt: number, random: number): number {
  const base = RECONNECT_DELAY_MS * 2 ** Math.min(Math.max(0, Math.floor(attempt)), 16);
  const spread = 1 + RECONNECT_JITTER * (2 * Math.min(Math.max(random, 0), 1) - 1);
  return Math.round(Math.min(base * spread, RECONNECT_DELAY_MAX_MS));
}
