import { createStore } from 'zustand/vanilla';

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
