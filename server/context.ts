import type { Server } from 'socket.io';
import type { ReachConfig } from './config';
import type { Logger } from './logger';
import type { Db } from './storage/database';
import type { LiveRegistry } from './live/live-registry';
import type { PoseRelay } from './live/pose-relay';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/protocol';
import type { Principal } from './auth/principal';
import type { Budgets } from './realtime/principal-budgets';
import type { ClinicLimits } from './auth/shared-limits';
import type { Repositories } from './repositories';

export interface SocketData {
  principal: Principal;
  /**
   * The session this device socket plays (started or resumed last; pose frames and control
   * commands belong to it). The socket is in its `rooms.session` room.
   */
  sessionId: string | null;
  /** The rate limits of this socket's token, shared with its other sockets. */
  budgets: Budgets;
}

export type ReachIo = Server<ClientToServerEvents, ServerToClientEvents, object, SocketData>;

/** The components every HTTP route and socket handler works with. */
export interface ReachContext extends Repositories {
  config: ReachConfig;
  /** For the storage's own upkeep only (health check, erasure on disk); data goes through the repositories. */
  db: Db;
  secret: string;
  log: Logger;
  live: LiveRegistry;
  /** Guessing lockouts and token budgets: in Redis when the clinic runs several processes. */
  limits: ClinicLimits;
  /** Set once Socket.IO is attached; HTTP routes use it to disconnect revoked tokens. */
  io: ReachIo | null;
  /** Set with `io`: carries pose frames to the watchers, on this process and the others. */
  poseRelay: PoseRelay | null;
}

/**
 * State a module keeps per running server (its context): made on first use, gone with the context
 * (tests run several servers in one process).
 */
export function perContext<T>(make: (ctx: ReachContext) => T): (ctx: ReachContext) => T {
  const made = new WeakMap<ReachContext, T>();
  return (ctx) => {
    let value = made.get(ctx);
    if (value === undefined) {
      value = make(ctx);
      made.set(ctx, value);
    }
    return value;
  };
}
