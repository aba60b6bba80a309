import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { loadTokenSecret } from './auth/secret';
import type { ReachConfig } from './config';
import type { ReachContext, ReachIo } from './context';
import { authRoutes } from './auth/routes';
import { deviceRoutes } from './devices/routes';
import { errorMiddleware, HttpError } from './http/errors';
import { exportRoutes } from './sessions/export-routes';
import { personalRoutes } from './sessions/personal-routes';
import { patientRoutes } from './patients/routes';
import { scaleRoutes } from './scales/routes';
import { noStore, securityHeaders } from './http/security';
import { sessionRoutes } from './sessions/routes';
import { staticRoutes } from './http/static';
import { createLogger, type Logger } from './logger';
import { LiveRegistry } from './live/live-registry';
import { localPoseRelay, startClusterPoseRelay, type PoseRelay } from './live/pose-relay';
import { connectRedisAdapter, type RedisAdapterHandle } from './realtime/redis-adapter';
import { inMemoryLimits, redisLimits } from './auth/shared-limits';
import { watchAccountChanges } from './auth/account-watch';
import { createSocketServer } from './realtime/socket-server';
import { kyselyRepositories, type Repositories } from './repositories';
import { checkDatabase, migrateToLatest, openDatabase, type Db } from './storage/database';
import { loadCertificate } from './tls/certificate';
import { createDualProtocolServer, FIRST_BYTE_TIMEOUT_MS } from './tls/dual-protocol';

export interface ReachComponents {
  /** An open database; by default the one `config` names (migrated at listen). */
  db?: Db;
  /** What routes and handlers store through; by default the Kysely ones over `db`. */
  repositories?: Repositories;
  log?: Logger;
}

export interface ReachServer {
  listen(): Promise<void>;
  close(): Promise<void>;
  /** The bound port, known after `listen()` (useful with PORT=0). */
  readonly port: number;
  readonly context: ReachContext;
}

const JSON_BODY_LIMIT = '256kb';

export function createHttpApp(ctx: ReachContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a reverse proxy (docs/deploy.md) the client's address is in X-Forwarded-For, set by
  // the proxies named in TRUST_PROXY; otherwise the header is anyone's to forge.
  app.set('trust proxy', ctx.config.trustProxy ?? false);
  app.use(securityHeaders(ctx.config.allowedOrigins));
  app.get('/healthz', noStore, async (_req, res) => {
    if (!(await checkDatabase(ctx.db))) throw new HttpError('internal', 'database unavailable');
    res.json({ status: 'ok', db: 'ok' });
  });
  app.use('/api', noStore);
  app.use('/api', express.json({ limit: JSON_BODY_LIMIT }));
  app.use(authRoutes(ctx));
  app.use(deviceRoutes(ctx));
  app.use(patientRoutes(ctx));
  app.use(sessionRoutes(ctx));
  app.use(exportRoutes(ctx));
  app.use(personalRoutes(ctx));
  app.use(scaleRoutes(ctx));
  app.use('/api', () => {
    throw new HttpError('not_found', 'no such endpoint');
  });
  app.use(staticRoutes(ctx.config.clientDir, ctx.config.xrProfilesDir));
  app.use(errorMiddleware(ctx.log));
  return app;
}

/**
 * The whole server over injected components: HTTP API, pages, Socket.IO, storage. One port
 * serves both HTTPS (for headsets on the LAN) and plain HTTP (localhost, tests).
 */
export function createReachServer(
  config: ReachConfig,
  components: ReachComponents = {},
): ReachServer {
  const log = components.log ?? createLogger(config.logLevel);
  const ownsDb = components.db === undefined;
  const db =
    components.db ??
    openDatabase({
      databaseUrl: config.databaseUrl,
      sqlitePath: join(config.dataDir, 'reach.sqlite'),
      // Only the code: a pg error message can quote the query or its parameters.
      onPoolError: (err) =>
        log.warn('idle database connection lost', {
          code: (err as Error & { code?: unknown }).code ?? null,
        }),
    });
  const context: ReachContext = {
    ...(components.repositories ?? kyselyRepositories(db)),
    config,
    db,
    secret: loadTokenSecret(config),
    log,
    live: new LiveRegistry(),
    limits: inMemoryLimits(),
    io: null,
    poseRelay: null,
  };
  let listener: NetServer | null = null;
  let io: ReachIo | null = null;
  let redis: RedisAdapterHandle | null = null;
  let poseRelay: PoseRelay | null = null;
  let httpServer: HttpServer | null = null;
  let stopAccountWatch: (() => void) | null = null;

  return {
    context,
    get port() {
      const address = listener?.address();
      return typeof address === 'object' && address !== null
        ? (address as AddressInfo).port
        : config.port;
    },

    async listen() {
      await migrateToLatest(db);
      const tls = await loadCertificate(config);
      if (config.redisUrl !== null) {
        context.limits = await redisLimits(config.redisUrl, config.redisChannelPrefix, log);
      }
      const app = createHttpApp(context);
      httpServer = createHttpServer(app);
      // A client that sends its first byte and then stalls the TLS handshake is not held either.
      const httpsServer = createHttpsServer({
        cert: tls.cert,
        key: tls.key,
        handshakeTimeout: FIRST_BYTE_TIMEOUT_MS,
      });
      // Socket.IO and Express listen on the plain server; TLS connections are decrypted by the
      // https server and handed over as ordinary requests.
      httpsServer.on('request', (req, res) => httpServer!.emit('request', req, res));
      httpsServer.on('upgrade', (req, socket, head) =>
        httpServer!.emit('upgrade', req, socket, head),
      );
      httpsServer.on('tlsClientError', () => undefined);
      if (config.redisUrl !== null) {
        redis = await connectRedisAdapter(config.redisUrl, config.redisChannelPrefix, log);
      }
      io = createSocketServer(context, httpServer, { adapter: redis?.adapter ?? null });
      context.io = io;
      poseRelay =
        redis === null
          ? localPoseRelay(io)
          : await startClusterPoseRelay(io, {
              pub: redis.pub,
              sub: redis.sub,
              channelPrefix: config.redisChannelPrefix,
              log,
            });
      context.poseRelay = poseRelay;
      stopAccountWatch = watchAccountChanges(context, io);
      listener = createDualProtocolServer(httpsServer, httpServer);
      await new Promise<void>((resolve, reject) => {
        listener!.once('error', reject);
        listener!.listen(config.port, config.host, () => {
          listener!.off('error', reject);
          resolve();
        });
      });
    },

    async close() {
      stopAccountWatch?.();
      if (io !== null) {
        io.disconnectSockets(true);
        await new Promise<void>((resolve) => {
          io!.close(() => resolve());
        });
      }
      if (listener !== null) {
        await new Promise<void>((resolve) => listener!.close(() => resolve()));
      }
      httpServer?.closeAllConnections();
      await poseRelay?.close();
      await redis?.close();
      await context.limits.close();
      if (ownsDb) await db.destroy();
    },
  };
}
