import { rooms } from './principal';
import type { ReachContext, ReachIo } from '../context';

/** How often each process looks for accounts whose sockets must close. */
export const ACCOUNT_WATCH_INTERVAL_MS = 2_000;

/**
 * Closes the open sockets of an account whose access was taken away (password reset, disabled,
 * patients handed over; server/auth/accounts.ts). Those changes are made by the administrator's
 * CLI, another process, so each server process watches `therapists.access_changed_at` in the
 * shared database and disconnects its own sockets of that account (room `therapist:<id>`): with
 * several processes every one of them does, with or without Redis. The tokens themselves are
 * revoked in the same transaction, so HTTP calls and reconnections are refused at once; an open
 * socket closes within ACCOUNT_WATCH_INTERVAL_MS.
 */
export function watchAccountChanges(ctx: ReachContext, io: ReachIo): () => void {
  let known: Map<string, string> | null = null;
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      const current = new Map<string, string>();
      for (const row of await ctx.therapists.listAccessChanges()) {
        if (row.access_changed_at !== null) current.set(row.id, row.access_changed_at);
      }
      if (known !== null) {
        for (const [therapistId, changedAt] of current) {
          if (known.get(therapistId) === changedAt) continue;
          io.local.in(rooms.therapist(therapistId)).disconnectSockets(true);
          ctx.log.info('account access changed: sockets closed', { therapistId });
        }
      }
      known = current;
    } catch (err) {
      ctx.log.warn('account watch failed', { err: String(err) });
    } finally {
      running = false;
    }
  };
  void check();
  const timer = setInterval(() => void check(), ACCOUNT_WATCH_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
