import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';

/** The first byte of every TLS connection: a handshake record. */
const TLS_HANDSHAKE = 0x16;

/**
 * One port for both: a headset needs HTTPS on the LAN address, while `http://localhost` (or adb
 * port forwarding) needs no certificate warning. The first byte of each connection tells which.
 */
export function createDualProtocolServer(https: HttpsServer, http: HttpServer): NetServer {
  return createServer({ pauseOnConnect: true }, (socket: Socket) => {
    socket.once('error', () => socket.destroy());
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null;
      if (first === null) {
        socket.destroy();
        return;
      }
      socket.unshift(first);
      const target = first[0] === TLS_HANDSHAKE ? https : http;
      target.emit('connection', socket);
    });
    socket.resume();
  });
}
