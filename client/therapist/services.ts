import { createContext, useContext } from 'react';
import { createApiClient, type ApiClient } from '../common/api';
import { connectServer } from '../common/socket';
import { createLiveLink, type LiveLink } from './live/live-link';
import { createPoseRing, type PoseRing } from './live/interpolation';
import { createAuthStore, type AuthStore } from './state/auth-store';
import { createConnectionStore, type ConnectionStore } from './state/connection-store';
import { createLiveStore, type LiveStore } from './state/live-store';

/** Everything the dashboard's components share, created once per page load. */
export interface Services {
  api: ApiClient;
  auth: AuthStore;
  connection: ConnectionStore;
  live: LiveStore;
  ring: PoseRing;
  /** The socket link while signed in, null otherwise. */
  link(): LiveLink | null;
}

export function createServices(storage: Storage): Services {
  const api: ApiClient = createApiClient({
    getToken: () => auth.getState().token,
    onUnauthorized: () => auth.getState().signOut('expired'),
  });
  const auth = createAuthStore({ login: api.login, logout: api.logout, storage });
  const connection = createConnectionStore();
  const live = createLiveStore();
  const ring = createPoseRing();
  let link: LiveLink | null = null;

  const followToken = (token: string | null) => {
    link?.close();
    link = null;
    if (token === null) return;
    connection.setState({ status: 'connecting', error: null });
    const server = connectServer(token, (refusal) => {
      if (refusal.code === 'unauthenticated') auth.getState().signOut('refused');
      else
        connection.setState({
          status: 'disconnected',
          error: 'This page is out of date: reload it.',
        });
    });
    link = createLiveLink(server, connection, live, ring, async (sessionId) => {
      const { trials, ratings, flags, alert } = await api.getSession(sessionId);
      return { trials, ratings, flags, alert };
    });
  };
  followToken(auth.getState().token);
  auth.subscribe((state, previous) => {
    if (state.token !== previous.token) followToken(state.token);
  });

  return { api, auth, connection, live, ring, link: () => link };
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (services === null) throw new Error('useServices outside ServicesContext');
  return services;
}
