import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { rooms } from '../auth/principal';
import type { ReachContext, ReachIo } from '../context';
import { registerDeviceHandlers } from '../sessions/device-handlers';
import { createDispatcher } from './dispatch';
import { originAllowed, installHandshake } from './handshake';
import { broadcastLiveSession } from '../live/live-info';
import { PrincipalBudgets } from './principal-budgets';
import { registerTherapistHandlers } from '../live/therapist-handlers';

/** A trial with 3600 samples is ~0.8 MB of JSON at full precision; anything larger is refused. */
export const MAX_MESSAGE_BYTES = 1_000_000;

export interface SocketServerOptions {
  /** A Socket.IO adapter factory (Redis across processes); in-process with recovery when null. */
  adapter: Parameters<Server['adapter']>[0] | null;
}

export function createSocketServer(
  ctx: ReachContext,
  httpServer: HttpServer,
  options: SocketServerOptions,
): ReachIo {
  const io: ReachIo = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    allowRequest: (req, callback) => callback(null, originAllowed(req, ctx.config.allowedOrigins)),
    ...(options.adapter !== null
      ? { adapter: options.adapter }
      : {
          // Without Redis, a short network drop resumes the socket with its rooms and missed events.
          connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
        }),
  });
  installHandshake(ctx, io, new PrincipalBudgets((key) => ctx.limits.tokenBudgets(key)));

  io.on('connection', (socket) => {
    const principal = socket.data.principal;
    const dispatcher = createDispatcher(ctx, socket);
    if (principal.role === 'therapist') {
      void socket.join([
        rooms.loginToken(principal.tokenId),
        rooms.therapist(principal.therapistId),
      ]);
      const untilExpiry = new Date(principal.expiresAt).getTime() - Date.now();
      const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, untilExpiry));
      socket.on('disconnect', () => clearTimeout(expiry));
      registerTherapistHandlers(ctx, io, socket, dispatcher.on);
    } else {
      void socket.join([
        rooms.patientDevice(principal.patientId),
        rooms.device(principal.deviceId),
      ]);
      registerDeviceHandlers(ctx, io, socket, dispatcher.on);
      void ctx.devices.touch(principal.deviceId).catch(() => undefined);
      void announceDevice(ctx, io, principal.patientId);
      socket.on('disconnect', () => void announceDevice(ctx, io, principal.patientId));
    }
  });
  return io;
}

/** Watchers learn at once when the headset connects or drops. */
async function announceDevice(ctx: ReachContext, io: ReachIo, patientId: string): Promise<void> {
  try {
    const live = ctx.live.get(patientId);
    if (live !== null) await broadcastLiveSession(ctx, io, live);
  } catch (err) {
    ctx.log.warn('device presence broadcast failed', { err: String(err) });
  }
}
