import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { createServer, type Server as NetServer, type Socket } from 'node:net';

/** The first byte of every TLS connection: a handshake record. */
const TLS_HANDSHAKE = 0x16;

/**
 * How long a new connection may stay silent before its first byte. Every browser sends its
 * ClientHello or request line at once; a connection that says nothing is closed instead of being
 * held (and counted against the process's file descriptors) forever.
 */
export const FIRST_BYTE_TIMEOUT_MS = 10_000;

/** Plain HTTP stays usable from this machine (development, tests, adb port forwarding). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** The https URL of the same host, port and path the request named. */
export function httpsUrlFor(req: IncomingMessage): string {
  const socket = req.socket;
  const fallback =
    socket.localAddress?.includes(':') === true
      ? `[${socket.localAddress}]:${socket.localPort}`
      : `${socket.localAddress}:${socket.localPort}`;
  let host = fallback;
  try {
    // Only a well-formed host[:port] is echoed back; anything else gets the address we listen on.
    const claimed = new URL(`https://${req.headers.host ?? ''}`);
    if (claimed.host !== '' && claimed.host === req.headers.host?.toLowerCase())
      host = claimed.host;
  } catch {
    // keep the fallback
  }
  const path = (req.url ?? '/').startsWith('/') ? (req.url ?? '/') : '/';
  return `https://${host}${path}`;
}

/** A LAN client on plain HTTP would send its token unencrypted: send it to HTTPS first. */
function redirectToHttps(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(308, { location: httpsUrlFor(req), 'content-length': '0', connection: 'close' });
  res.end();
}

/**
 * One port for both: a headset needs HTTPS on the LAN address, while `http://localhost` (or adb
 * port forwarding) needs no certificate warning. The first byte of each connection tells which;
 * plain HTTP from another machine is only redirected.
 */
export function createDualProtocolServer(https: HttpsServer, http: HttpServer): NetServer {
  const redirect = createHttpServer(redirectToHttps);
  return createServer({ pauseOnConnect: true }, (socket: Socket) => {
    socket.once('error', () => socket.destroy());
    const silent = () => socket.destroy();
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, silent);
    socket.once('readable', () => {
      // From here on the HTTP or TLS server's own timeouts apply.
      socket.setTimeout(0);
      socket.off('timeout', silent);
      const first = socket.read(1) as Buffer | null;
      if (first === null) {
        socket.destroy();
        return;
      }
      socket.unshift(first);
      const target =
        first[0] === TLS_HANDSHAKE ? https : isLoopback(socket.remoteAddress) ? http : redirect;
      target.emit('connection', socket);
    });
    socket.resume();
  });
}
