import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { connectServer, type FinalRefusal, type ClientSocket } from '../../common/socket';
import { forgetDevice } from './device-api';

export type ServerLinkStatus = 'connected' | 'offline';

export interface ServerLinkState {
  socket: ClientSocket | null;
  status: ServerLinkStatus;
  /** Why the server will not take this headset any more, in the patient's words; null while it may. */
  refusal: string | null;
}

export type ConnectionStore = UseBoundStore<StoreApi<ServerLinkState>>;

export const REVOKED_MESSAGE =
  'This headset is no longer paired (the therapist removed it). Ask your therapist for a new code.';
export const OUT_OF_DATE_MESSAGE = 'This page is out of date. Reload it.';

const HEALTH_POLL_MS = 3000;

/** The headset's one connection to the server; the entry screen and the game share it. */
export interface DeviceConnection {
  store: ConnectionStore;
  /** Unpaired, "connected" means the server answers: there is nothing to authenticate a socket with. */
  watchServerHealth(): void;
  /**
   * The socket reconnects by itself after anything but a refused token or an out-of-date page (see
   * connectServer), and the outbox sends on every connect, so a server restart strands nothing.
   */
  open(token: string): ClientSocket;
  /** Unpairing: the device token is gone, so the socket goes too; reachability is polled again. */
  close(): void;
}

export function createDeviceConnection(): DeviceConnection {
  const store: ConnectionStore = create<ServerLinkState>(() => ({
    socket: null,
    status: 'offline',
    refusal: null,
  }));
  let closeServer: (() => void) | null = null;
  let healthTimer: ReturnType<typeof setInterval> | undefined;

  async function checkHealth(): Promise<void> {
    if (store.getState().socket !== null) return;
    try {
      const response = await fetch('/healthz', { cache: 'no-store' });
      store.setState({ status: response.ok ? 'connected' : 'offline' });
    } catch {
      store.setState({ status: 'offline' });
    }
  }

  function watchServerHealth(): void {
    if (healthTimer !== undefined) return;
    void checkHealth();
    healthTimer = setInterval(() => void checkHealth(), HEALTH_POLL_MS);
  }

  function close(): void {
    closeServer?.();
    closeServer = null;
    store.setState({ socket: null, status: 'offline' });
    watchServerHealth();
  }

  /** A revoked device token cannot come back: the headset is unpaired, and says so. */
  function refused({ code }: FinalRefusal): void {
    if (code !== 'unauthenticated') {
      store.setState({ status: 'offline', refusal: OUT_OF_DATE_MESSAGE });
      return;
    }
    forgetDevice();
    close();
    store.setState({ refusal: REVOKED_MESSAGE });
  }

  function open(token: string): ClientSocket {
    const existing = store.getState().socket;
    if (existing !== null) return existing;
    if (healthTimer !== undefined) clearInterval(healthTimer);
    healthTimer = undefined;
    const server = connectServer(token, refused);
    const { socket } = server;
    closeServer = server.close;
    socket.on('connect', () => store.setState({ status: 'connected' }));
    socket.on('disconnect', () => store.setState({ status: 'offline' }));
    socket.on('connect_error', () => store.setState({ status: 'offline' }));
    store.setState({ socket, refusal: null });
    return socket;
  }

  return { store, watchServerHealth, open, close };
}
