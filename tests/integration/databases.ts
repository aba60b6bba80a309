import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Db } from '../../server/storage/database';

/**
 * A fresh PostgreSQL database per test file, made next to TEST_DATABASE_URL's (its role needs
 * CREATEDB), so runs never see each other's rows and migrations always start from nothing.
 */
export async function createScratchPgDatabase(
  baseUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `reach_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await dropEvenWhileInUse(client, name);
      } finally {
        await client.end();
      }
    },
  };
}

const OBJECT_IN_USE = '55006';

/**
 * Not `DROP DATABASE … WITH (FORCE)`: PostgreSQL refuses FORCE to a non-superuser while an
 * autovacuum worker (which runs as no role) is in the database, and CI met that race. A plain DROP
 * stops autovacuum workers itself, so this ends our own role's leftover connections (a killed
 * server's pool) and retries the plain DROP while one is still going away.
 */
async function dropEvenWhileInUse(client: pg.Client, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()`,
      [name],
    );
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt === 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

export interface StorageBackend {
  name: string;
  /** A new, empty database (not migrated) and how to remove it. */
  open(): Promise<{ db: Db; cleanup(): Promise<void> }>;
}

/** SQLite in a scratch folder always; PostgreSQL too when TEST_DATABASE_URL is set. */
export function storageBackends(what: string): StorageBackend[] {
  const backends: StorageBackend[] = [
    {
      name: 'SQLite',
      async open() {
        const dir = mkdtempSync(join(tmpdir(), 'reach-storage-'));
        const db = openDatabase({ databaseUrl: null, sqlitePath: join(dir, 'reach.sqlite') });
        return {
          db,
          async cleanup() {
            await db.destroy();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    },
  ];
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    backends.push({
      name: 'PostgreSQL',
      async open() {
        const scratch = await createScratchPgDatabase(pgUrl);
        const db = openDatabase({ databaseUrl: scratch.url, sqlitePath: '' });
        return {
          db,
          async cleanup() {
            await db.destroy();
            await scratch.drop();
          },
        };
      },
    });
  } else {
    console.warn(`${what}: TEST_DATABASE_URL not set, PostgreSQL backend skipped (SQLite only)`);
  }
  return backends;
}
