import { createContext, useContext } from 'react';
import { currentPairing } from './net/device-api';
import { createDeviceConnection, type DeviceConnection } from './net/connection';
import { createPresetsStore, type PresetsStore } from './entry/presets';
import { createGameStore, type GameStore } from './game/store';
import { createPlayAnchor, type PlayAnchor } from './game/anchor';
import type { Outbox } from './outbox/outbox';
import type { ClientSocket } from '../common/socket';

/**
 * Everything the headset page shares, created once per page load (tests make fresh ones): the
 * connection (socket), the outbox, the display presets, the play-space anchor and the game store.
 */
export interface PatientServices {
  storage: Storage;
  connection: DeviceConnection;
  presets: PresetsStore;
  store: GameStore;
  anchor: PlayAnchor;
  /**
   * The one outbox of this headset, attached to the given socket (loaded on first use: it is not
   * part of the entry screen). Each record goes out only over the pairing it was recorded under.
   */
  outbox(socket: ClientSocket): Promise<Outbox>;
}

export function createPatientServices(storage: Storage): PatientServices {
  let outbox: Outbox | null = null;
  return {
    storage,
    connection: createDeviceConnection(),
    presets: createPresetsStore(storage),
    store: createGameStore(),
    anchor: createPlayAnchor(),
    async outbox(socket) {
      const { Outbox } = await import('./outbox/outbox');
      outbox ??= new Outbox(currentPairing);
      // After an unpair and a new pairing in the same page, the new pairing's socket sends.
      outbox.attach(socket);
      return outbox;
    },
  };
}

export const ServicesContext = createContext<PatientServices | null>(null);

export function useServices(): PatientServices {
  const services = useContext(ServicesContext);
  if (services === null) throw new Error('useServices outside ServicesContext');
  return services;
}
