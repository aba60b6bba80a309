import type { Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol';
import type { SocketData } from '../context';

export type ReachSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>;
