import { createStore } from 'zustand/vanilla';
import type { LiveSessionInfo } from '../../../shared/protocol/live';

/** Shown verbatim in the header's `connection-status` element, so tests and people read the same. */
export type ConnectionStatus = 'signed out' | 'connecting' | 'connected' | 'disconnected';

export interface ConnectionState {
  status: ConnectionStatus;
  /** why the last attempt failed, when it did */
  error: string | null;
}

export const createConnectionStore = () =>
  createStore<ConnectionState>()(() => ({ status: 'signed out', error: null }));

export type ConnectionStore = ReturnType<typeof createConnectionStore>;

/**
 * What the dashboard can say about the headset. Only a connected dashboard hears about the
 * headset: disconnected, its last news may be long out of date, so it claims nothing.
 */
export function headsetStatusText(
  server: ConnectionStatus,
  info: Pick<LiveSessionInfo, 'deviceConnected' | 'endedAt'> | null,
): string {
  if (server !== 'connected') return 'unknown (dashboard not connected to the server)';
  if (info === null) return 'no session';
  if (info.endedAt) return 'session ended';
  return info.deviceConnected ? 'connected' : 'disconnected';
}
