import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  RECONNECT_DELAY_MAX_MS,
  reconnectDelayMs,
  refusalIsFinal,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../shared/protocol';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A handshake refusal no retry can cure: `code` is 'unauthenticated' or 'protocol_mismatch'. */
export interface FinalRefusal {
  code: string;
  message: string;
}

export interface ServerConnection {
  socket: ClientSocket;
  /** Disconnects and stops every retry (sign-out, unpairing). */
  close(): void;
}

const refusalMessage = (error: Error & { data?: unknown }): string => {
  const data = error.data as { message?: unknown } | undefined;
  return typeof data?.message === 'string' ? data.message : error.message;
};

/**
 * Opens the typed Socket.IO connection to the server that served the page and keeps it open.
 * WebSocket only, so a clinic's load balancer needs no sticky sessions for the polling transport.
 *
 * Socket.IO retries a dropped transport by itself (its `active` flag stays set) but takes a
 * disconnect by the server (every socket when the server restarts) and a handshake refusal as
 * final. Those are retried here with the same backoff, except the refusals in `refusalIsFinal`:
 * they go to `onFinalRefusal`, and the connection stays closed. A revoked or expired token is
 * thus found out by the next handshake, whatever the server said when it closed the socket.
 */
export function connectServer(
  token: string,
  onFinalRefusal: (refusal: FinalRefusal) => void,
): ServerConnection {
  const socket: ClientSocket = io({
    auth: { protocolVersion: PROTOCOL_VERSION, token },
    transports: ['websocket'],
    reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
  });
  let closed = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const retryLater = () => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(
      () => {
        if (!closed && !socket.connected && !socket.active) socket.connect();
      },
      reconnectDelayMs(attempt++, Math.random()),
    );
  };

  socket.on('connect', () => {
    attempt = 0;
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect' && !closed) retryLater();
  });
  socket.on('connect_error', (error: Error & { data?: unknown }) => {
    // Still active: a transport failure the client's own reconnection is already retrying.
    if (closed || socket.active) return;
    if (refusalIsFinal(error.message)) {
      closed = true;
      onFinalRefusal({ code: error.message, message: refusalMessage(error) });
      return;
    }
    retryLater();
  });

  return {
    socket,
    close() {
      closed = true;
      clearTimeout(retryTimer);
      socket.disconnect();
    },
  };
}
