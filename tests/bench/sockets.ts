import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../shared/protocol';

/** Handshakes at once at most; more only queue up in the server's accept backlog. */
const CONNECT_CONCURRENCY = 40;

/** A real Socket.IO client as the headset and the dashboard open it (websocket only). */
export function connect(url: string, token: string): Promise<Socket> {
  const socket = io(url, {
    auth: { protocolVersion: PROTOCOL_VERSION, token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 60_000,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Emits with an acknowledgement; resolves with `data` of `{ ok: true }`, else throws. */
export async function request(socket: Socket, event: string, payload: unknown): Promise<unknown> {
  const answer = (await socket.timeout(60_000).emitWithAck(event, payload)) as {
    ok: boolean;
    data?: unknown;
    error?: unknown;
  };
  if (!answer.ok) throw new Error(`${event}: ${JSON.stringify(answer.error)}`);
  return answer.data;
}

/** Runs `task` for 0..count-1 with bounded concurrency, keeping results in order. */
export async function inBatches<T>(
  count: number,
  task: (index: number) => Promise<T>,
  concurrency = CONNECT_CONCURRENCY,
): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      out[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}
