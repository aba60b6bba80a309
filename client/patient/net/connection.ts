import { create } from 'zustand';
import { connectServer, type FinalRefusal, type ClientSocket } from '../../common/socket';
import { forgetDevice } from './device-api';

export type ServerLinkStatus = 'connected' | 'offline';

interface ServerLinkState {
  socket: ClientSocket | null;
  status: ServerLinkStatus;
  /** Why the server will not take this headset any more, in the patient's words; null while it may. */
  refusal: string | null;
}

/** The headset's one connection to the server; the entry screen and the game share it. */
export const useConnection = create<ServerLinkState>(() => ({
  socket: null,
  status: 'offline',
  refusal: null,
}));

export const REVOKED_MESSAGE =
  'This headset is no longer paired (the therapist removed it). Ask your therapist for a new code.';
/** The update is fetched at once (offline/register.ts) and taken when the app starts again. */
export const OUT_OF_DATE_MESSAGE =
  'This app is out of date and cannot reach the server. Close it and open it again to update it.';

let closeServer: (() => void) | null = null;

const HEALTH_POLL_MS = 3000;
let healthTimer: ReturnType<typeof setInterval> | undefined;

async function checkHealth(): Promise<void> {
  if (useConnection.getState().socket !== null) return;
  try {
    const response = await fetch('/healthz', { cache: 'no-store' });
    useConnection.setState({ status: response.ok ? 'connected' : 'offline' });
  } catch {
    useConnection.setState({ status: 'offline' });
  }
}

/** Unpaired, "connected" means the server answers: there is nothing to authenticate a socket with. */
export function watchServerHealth(): void {
  if (healthTimer !== undefined) return;
  void checkHealth();
  healthTimer = setInterval(() => void checkHealth(), HEALTH_POLL_MS);
}

/**
 * The socket reconnects by itself after anything but a refused token or an out-of-date page (see
 * connectServer), and the outbox sends on every connect, so a server restart strands nothing.
 */
export function openDeviceSocket(token: string): ClientSocket {
  const existing = useConnection.getState().socket;
  if (existing !== null) return existing;
  if (healthTimer !== undefined) clearInterval(healthTimer);
  healthTimer = undefined;
  const server = connectServer(token, refused);
  const { socket } = server;
  closeServer = server.close;
  socket.on('connect', () => useConnection.setState({ status: 'connected' }));
  socket.on('disconnect', () => useConnection.setState({ status: 'offline' }));
  socket.on('connect_error', () => useConnection.setState({ status: 'offline' }));
  useConnection.setState({ socket, refusal: null });
  return socket;
}

/** A revoked device token cannot come back: the headset is unpaired, and says so. */
function refused({ code }: FinalRefusal): void {
  if (code !== 'unauthenticated') {
    useConnection.setState({ status: 'offline', refusal: OUT_OF_DATE_MESSAGE });
    return;
  }
  forgetDevice();
  closeDeviceSocket();
  useConnection.setState({ refusal: REVOKED_MESSAGE });
}

/** Unpairing: the device token is gone, so the socket goes too; reachability is polled again. */
export function closeDeviceSocket(): void {
  closeServer?.();
  closeServer = null;
  useConnection.setState({ socket: null, status: 'offline' });
  watchServerHealth();
}
