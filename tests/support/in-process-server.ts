import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReachServer } from '../../server/app';
import { hashPassword } from '../../server/auth/passwords';
import { loadConfig, type ReachConfig } from '../../server/config';
import type { ReachContext } from '../../server/context';
import { IN_MEMORY_SQLITE, openDatabase, type Db } from '../../server/storage/database';
import { loadCertificate } from '../../server/tls/certificate';

/**
 * The whole server (HTTP API, Socket.IO, repositories) inside the test's own process, on a free
 * loopback port, over a fresh in-memory SQLite database: it starts in milliseconds and lets a test
 * look at what the server did (its database, the queries a request cost). Suites about crashes,
 * restarts, signals, files on disk or the CLI start a real process instead (./server.ts).
 */
export interface InProcessServer {
  /** Plain HTTP on loopback, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  context: ReachContext;
  db: Db;
  /** Every SQL statement run since the server started (or since `queries.length = 0`). */
  queries: string[];
  /** Creates an account, as the therapist:add CLI would. */
  addTherapist(username: string, password: string): Promise<void>;
  close(): Promise<void>;
}

export interface InProcessOptions {
  /** Environment the configuration is read from, as the real server's (e.g. PAIRING_TTL_SECONDS). */
  env?: Record<string, string>;
}

/** One certificate for every server of this test process: generating a key takes a while. */
let certificateDir: Promise<string> | null = null;

function sharedCertificateDir(): Promise<string> {
  certificateDir ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reach-inproc-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await loadCertificate({ ...loadConfig({}), dataDir: dir, tlsCertPath: null, tlsKeyPath: null });
    return dir;
  })();
  return certificateDir;
}

export async function startInProcessServer(
  options: InProcessOptions = {},
): Promise<InProcessServer> {
  const dir = await sharedCertificateDir();
  const config: ReachConfig = {
    ...loadConfig({ LOG_LEVEL: 'warn', ...options.env }),
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    tlsCertPath: join(dir, 'tls-cert.pem'),
    tlsKeyPath: join(dir, 'tls-key.pem'),
    tokenSecret: 'in-process-test-secret',
  };
  const queries: string[] = [];
  const db = openDatabase({
    databaseUrl: null,
    sqlitePath: IN_MEMORY_SQLITE,
    onQuery: (sql) => queries.push(sql),
  });
  const server = createReachServer(config, { db });
  await server.listen();
  const { context } = server;
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port,
    context,
    db,
    queries,
    async addTherapist(username, password) {
      await context.therapists.create(username, await hashPassword(password));
    },
    async close() {
      await server.close();
      await db.destroy();
    },
  };
}
