import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type AckResult,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../shared/protocol';

/** Typed Socket.IO clients as the headset and the dashboard open them. */

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOptions {
  protocolVersion?: number;
  /** socket.io-client's own reconnection, as the real pages use it. */
  reconnection?: boolean;
  /** How long the handshake may take (socket.io-client's own default when unset). */
  handshakeTimeoutMs?: number;
}

/** Resolves once connected; rejects with the server's connect_error. */
export function connect(
  url: string,
  token: string,
  options: ConnectOptions = {},
): Promise<TestSocket> {
  const socket: TestSocket = io(url, {
    auth: { protocolVersion: options.protocolVersion ?? PROTOCOL_VERSION, token },
    transports: ['websocket'],
    reconnection: options.reconnection ?? false,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
    forceNew: true,
    ...(options.handshakeTimeoutMs === undefined ? {} : { timeout: options.handshakeTimeoutMs }),
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

type LooseSocket = {
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
  emit(event: string, ...args: unknown[]): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  once(event: string, listener: (...args: unknown[]) => void): void;
  off(event: string, listener: (...args: unknown[]) => void): void;
};
/** The socket without the event table's types, to send what a real client never would. */
export const loose = (socket: TestSocket): LooseSocket => socket as unknown as LooseSocket;

/** Emits with an acknowledgement; resolves with the answer (rejects after `timeoutMs`). */
export function request(
  socket: TestSocket,
  event: string,
  payload: unknown,
  timeoutMs = 5000,
): Promise<AckResult<unknown>> {
  return loose(socket).timeout(timeoutMs).emitWithAck(event, payload) as Promise<
    AckResult<unknown>
  >;
}

export function nextEvent<T>(socket: TestSocket, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (payload: unknown) => {
      clearTimeout(timer);
      resolve(payload as T);
    };
    const timer = setTimeout(() => {
      loose(socket).off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    loose(socket).once(event, listener);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}
