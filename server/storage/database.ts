import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface DatabaseTarget {
  /** PostgreSQL connection string; SQLite at `sqlitePath` when null. */
  databaseUrl: string | null;
  sqlitePath: string;
  /**
   * Told when an idle PostgreSQL connection breaks (a database restart); the pool replaces it.
   * Without a listener, pg raises it as an uncaught error.
   */
  onPoolError?: (err: Error) => void;
}

export function openDatabase(target: DatabaseTarget): Db {
  if (target.databaseUrl !== null) {
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 10 });
    const onPoolError = target.onPoolError ?? (() => undefined);
    pool.on('error', onPoolError);
    // A connection lost while checked out emits on the client itself; the query in flight fails on
    // its own, so the event only needs a listener to keep it from becoming an uncaught exception.
    pool.on('connect', (client) => client.on('error', onPoolError));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  mkdirSync(join(target.sqlitePath, '..'), { recursive: true });
  const sqlite = new BetterSqlite3(target.sqlitePath);
  // WAL: readers never block the writer, and a killed process loses no committed trial.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** Brings the schema to the newest version; throws (and the server does not start) on failure. */
export async function migrateToLatest(db: Db): Promise<void> {
  const dialect = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ''}`, {
      cause: error,
    });
  }
}

export async function checkDatabase(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
