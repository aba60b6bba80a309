import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
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
  /**
   * A database the caller opened (and closes), e.g. one two servers share as two processes of a
   * clinic would; `queries` then stays empty. By default a fresh in-memory SQLite database.
   */
  db?: Db;
}

/**
 * One self-signed certificate for every in-process server of every test run: generating a key
 * costs more than starting the server. Made once in the system's temporary folder (into a
 * scratch folder first, then renamed, so a concurrent run never reads half a certificate).
 */
const CERTIFICATE_DIR = join(tmpdir(), 'reach-test-certificate');
let certificate: Promise<void> | null = null;

function ensureTestCertificate(): Promise<void> {
  certificate ??= (async () => {
    if (existsSync(join(CERTIFICATE_DIR, 'tls-key.pem'))) return;
    const scratch = mkdtempSync(join(tmpdir(), 'reach-test-certificate-'));
    await loadCertificate({
      ...loadConfig({}),
      dataDir: scratch,
      tlsCertPath: null,
      tlsKeyPath: null,
    });
    try {
      renameSync(scratch, CERTIFICATE_DIR);
    } catch {
      // Another run made it meanwhile.
      rmSync(scratch, { recursive: true, force: true });
    }
  })();
  return certificate;
}

export async function startInProcessServer(
  options: InProcessOptions = {},
): Promise<InProcessServer> {
  await ensureTestCertificate();
  const config: ReachConfig = {
    ...loadConfig({ LOG_LEVEL: 'warn', ...options.env }),
    port: 0,
    host: '127.0.0.1',
    // Nothing is written there: the database is in memory, the secret and certificate are given.
    dataDir: CERTIFICATE_DIR,
    tlsCertPath: join(CERTIFICATE_DIR, 'tls-cert.pem'),
    tlsKeyPath: join(CERTIFICATE_DIR, 'tls-key.pem'),
    tokenSecret: 'in-process-test-secret',
  };
  const queries: string[] = [];
  const db =
    options.db ??
    openDatabase({
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
      if (options.db === undefined) await db.destroy();
    },
  };
}
