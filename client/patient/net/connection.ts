import { create } from 'zustand';
import { connectSocket, type ReachSocket } from '../../common/socket';

export type ConnectionStatus = 'connected' | 'offline';

interface ConnectionState {
  socket: ReachSocket | null;
  status: ConnectionStatus;
}

/** The headset's one connection to the server; the entry screen and the game share it. */
export const useConnection = create<ConnectionState>(() => ({ socket: null, status: 'offline' }));

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

export function openDeviceSocket(token: string): ReachSocket {
  const existing = useConnection.getState().socket;
  if (existing !== null) return existing;
  if (healthTimer !== undefined) clearInterval(healthTimer);
  healthTimer = undefined;
  const socket = connectSocket(token);
  socket.on('connect', () => useConnection.setState({ status: 'connected' }));
  socket.on('disconnect', () => useConnection.setState({ status: 'offline' }));
  socket.on('connect_error', () => useConnection.setState({ status: 'offline' }));
  useConnection.setState({ socket });
  return socket;
}

/** Unpairing: the device token is gone, so the socket goes too; reachability is polled again. */
export function closeDeviceSocket(): void {
  useConnection.getState().socket?.disconnect();
  useConnection.setState({ socket: null, status: 'offline' });
  watchServerHealth();
}
