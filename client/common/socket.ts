import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../shared/protocol';

export type ReachSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Opens the typed Socket.IO connection to the server that served the page. WebSocket only, so a
 * clinic's load balancer needs no sticky sessions for the polling transport.
 */
export function connectSocket(token: string): ReachSocket {
  return io({
    auth: { protocolVersion: PROTOCOL_VERSION, token },
    transports: ['websocket'],
    reconnectionDelayMax: 5000,
  });
}
