import type { ReachSocket } from '../../common/socket';
import { Outbox } from './outbox';

let outbox: Outbox | null = null;

/**
 * The one outbox of this headset, attached to the device socket. Opened as soon as the page knows
 * it is paired (not only when a game starts), so records left by a crash or a reload are resent.
 */
export function sharedOutbox(socket: ReachSocket): Outbox {
  if (outbox === null) {
    outbox = new Outbox();
    outbox.attach(socket);
  }
  return outbox;
}
