import type { z } from 'zod';
import {
  ackError,
  ackOk,
  clientToServer,
  type AckData,
  type ClientToServerName,
  type ErrorCode,
  type Payload,
} from '../../shared/protocol';
import type { ReachContext } from '../context';
import type { ReachSocket } from './types';
import { SocketError } from './socket-error';

type Handler<K extends ClientToServerName> = (
  payload: Payload<K>,
) => Promise<AckData<K> | void> | AckData<K> | void;

export interface Dispatcher {
  on<K extends ClientToServerName>(event: K, handler: Handler<K>): void;
}

/** Which payload failures are clinical-limit violations rather than malformed messages. */
function errorCodeFor(event: ClientToServerName, issues: z.core.$ZodIssue[]): ErrorCode {
  const first = issues[0];
  if (
    event === 'control:send' &&
    first !== undefined &&
    first.path[0] === 'command' &&
    (first.code === 'too_big' || first.code === 'too_small' || first.code === 'custom')
  ) {
    return 'out_of_bounds';
  }
  return 'invalid_payload';
}

const describe = (issues: z.core.$ZodIssue[]): string => {
  const first = issues[0];
  return first === undefined
    ? 'invalid payload'
    : `${first.path.join('.') || 'payload'}: ${first.message}`;
};

/**
 * Every client event goes through here: role check, rate limit, schema validation, then the
 * handler; any failure becomes a typed answer (or `server:error` for events without one), and
 * nothing a client sends can throw past this point.
 */
export function createDispatcher(ctx: ReachContext, socket: ReachSocket): Dispatcher {
  // Shared by all sockets of the same token (see principal-budgets.ts).
  const { pose: poseBucket, events: eventBucket, errors: errorBucket } = socket.data.budgets;
  const role = socket.data.principal.role;

  const reportError = (
    event: string,
    code: ErrorCode,
    message: string,
    ack: ((result: unknown) => void) | undefined,
  ) => {
    if (ack !== undefined) ack(ackError(code, message, event));
    else if (errorBucket.take()) socket.emit('server:error', { code, message, event });
  };

  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && Object.hasOwn(clientToServer, event)) return;
    const ack =
      typeof args.at(-1) === 'function' ? (args.at(-1) as (r: unknown) => void) : undefined;
    const name = String(event).slice(0, 64);
    if (!eventBucket.take()) reportError(name, 'rate_limited', 'slow down', ack);
    else reportError(name, 'unknown_event', 'no such event', ack);
  });

  const loose = socket as unknown as {
    on(event: string, listener: (...args: unknown[]) => void): void;
  };
  const takeAck = (args: unknown[]) =>
    typeof args.at(-1) === 'function' ? (args.pop() as (result: unknown) => void) : undefined;
  const allowed = (event: ClientToServerName) =>
    (clientToServer[event].roles as readonly string[]).includes(role);

  // Events of the other role are known but refused, so the sender learns why.
  for (const event of Object.keys(clientToServer) as ClientToServerName[]) {
    if (allowed(event)) continue;
    loose.on(event, (...args: unknown[]) => {
      const ack = takeAck(args);
      if (!eventBucket.take()) reportError(event, 'rate_limited', 'slow down', ack);
      else reportError(event, 'forbidden', `a ${role} may not send ${event}`, ack);
    });
  }

  return {
    on(event, handler) {
      if (!allowed(event)) return;
      const spec = clientToServer[event];
      const bucket = event === 'pose:frame' ? poseBucket : eventBucket;
      loose.on(event, (...args: unknown[]) => {
        const ack = takeAck(args);
        if (!bucket.take()) {
          reportError(event, 'rate_limited', 'slow down', ack);
          return;
        }
        const parsed = spec.payload.safeParse(args[0]);
        if (!parsed.success) {
          reportError(
            event,
            errorCodeFor(event, parsed.error.issues),
            describe(parsed.error.issues),
            ack,
          );
          return;
        }
        const answer = (data: unknown) => {
          if (ack !== undefined && 'ack' in spec) ack(ackOk(data ?? {}));
        };
        const fail = (err: unknown) => {
          if (err instanceof SocketError) {
            reportError(event, err.code, err.message, ack);
            return;
          }
          ctx.log.error('socket handler failed', { event, role, err: String(err) });
          reportError(event, 'internal', 'the server could not do this', ack);
        };
        // A synchronous handler (the pose relay, 30 times a second per headset) is answered at
        // once, without the two promise turns an async one needs.
        let result: ReturnType<typeof handler>;
        try {
          result = handler(parsed.data as Payload<typeof event>);
        } catch (err) {
          fail(err);
          return;
        }
        if (result instanceof Promise) result.then(answer, fail);
        else answer(result);
      });
    },
  };
}
