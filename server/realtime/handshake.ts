import type { IncomingMessage } from 'node:http';
import { PROTOCOL_VERSION, handshakeAuthSchema } from '../../shared/protocol';
import { resolveToken } from '../auth/principal';
import type { ReachContext, ReachIo } from '../context';
import { MAX_SOCKETS_PER_TOKEN, principalKey, type PrincipalBudgets } from './principal-budgets';

type ConnectError = Error & { data?: unknown };

const refuse = (code: string, data: Record<string, unknown>): ConnectError =>
  Object.assign(new Error(code), { data: { code, ...data } });

/**
 * Browsers send Origin; a page from another site must not open a socket with the user's token.
 * Clients without Origin (a native app, the tests) are judged by their token alone.
 */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * Checks `auth = { protocolVersion, token }` before a socket may connect, and gives the socket its
 * token's shared budgets (refused beyond MAX_SOCKETS_PER_TOKEN open sockets).
 */
export function installHandshake(ctx: ReachContext, io: ReachIo, budgets: PrincipalBudgets): void {
  io.use(async (socket, next) => {
    const raw = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    if (typeof raw.protocolVersion === 'number' && raw.protocolVersion !== PROTOCOL_VERSION) {
      next(
        refuse('protocol_mismatch', {
          message: 'this page is out of date: reload it',
          serverVersion: PROTOCOL_VERSION,
          clientVersion: raw.protocolVersion,
        }),
      );
      return;
    }
    const auth = handshakeAuthSchema.safeParse(raw);
    if (!auth.success) {
      next(refuse('unauthenticated', { message: 'auth must be { protocolVersion, token }' }));
      return;
    }
    try {
      const principal = await resolveToken(ctx, ctx.secret, auth.data.token);
      if (principal === null) {
        next(refuse('unauthenticated', { message: 'unknown, expired or revoked token' }));
        return;
      }
      const key = principalKey(principal);
      const shared = budgets.acquire(key);
      if (shared === null) {
        next(
          refuse('rate_limited', {
            message: `at most ${MAX_SOCKETS_PER_TOKEN} connections per token: close another one`,
          }),
        );
        return;
      }
      // The transport's close comes whether or not the socket finished connecting.
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        budgets.release(key);
      };
      socket.conn.once('close', release);
      socket.once('disconnect', release);
      socket.data.principal = principal;
      socket.data.sessionId = null;
      socket.data.budgets = shared;
      next();
    } catch (err) {
      ctx.log.error('handshake failed', { err: String(err) });
      next(refuse('internal', { message: 'try again' }));
    }
  });
}
