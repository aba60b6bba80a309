import type { ClientSocket } from '../../common/socket';
import { currentPairing } from '../net/device-api';
import { Outbox } from './outbox';

let outbox: Outbox | null = null;

/**
 * The one outbox of this headset, attached to the device socket. Opened as soon as the page knows
 * it is paired (not only when a game starts), so records left by a crash or a reload are resent.
 * Each record goes out only over the pairing it was recorded under (`currentPairing`).
 */
export function sharedOutbox(socket: ClientSocket): Outbox {
  outbox ??= new Outbox(currentPairing);
  // After an unpair and a new pairing in the same page, the new pairing's socket sends.
  outbox.attach(socket);
  return outbox;
}
