import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type LogEvent,
} from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations';
import { ensurePrivateDir, ensurePrivateFile, tightenExisting } from './private-files';
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
  /** Told of every statement run (tests count the queries a request costs). */
  onQuery?: (sql: string) => void;
}

/** A `sqlitePath` for a database held in memory only, gone when it closes (in-process tests). */
export const IN_MEMORY_SQLITE = ':memory:';

export function openDatabase(target: DatabaseTarget): Db {
  const onQuery = target.onQuery;
  const log =
    onQuery === undefined
      ? undefined
      : (event: LogEvent) => {
          if (event.level === 'query') onQuery(event.query.sql);
        };
  if (target.databaseUrl !== null) {
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 10 });
    const onPoolError = target.onPoolError ?? (() => undefined);
    pool.on('error', onPoolError);
    // A connection lost while checked out emits on the client itself; the query in flight fails on
    // its own, so the event only needs a listener to keep it from becoming an uncaught exception.
    pool.on('connect', (client) => client.on('error', onPoolError));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  }
  const inMemory = target.sqlitePath === IN_MEMORY_SQLITE;
  if (!inMemory) {
    ensurePrivateDir(dirname(target.sqlitePath));
    // SQLite gives the WAL and shared-memory files the database file's mode: 0600 for all three.
    ensurePrivateFile(target.sqlitePath);
    tightenExisting([`${target.sqlitePath}-wal`, `${target.sqlitePath}-shm`]);
  }
  const sqlite = new BetterSqlite3(target.sqlitePath);
  // WAL: readers never block the writer, and a killed process loses no committed transaction.
  // NORMAL: a power loss may take back the last commits; the writes the headset forgets once they
  // are acknowledged go through `durably` instead.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted rows and freed pages are overwritten with zeros, so an erased patient's label, notes
  // and trials do not stay readable in the file (see eraseFromDisk).
  sqlite.pragma('secure_delete = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log });
}

type DurableWrite<T> = (trx: Db) => Promise<T>;

interface DurableJob {
  write: DurableWrite<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit for SQLite: writes that arrive while one sync is in progress share the next
 * transaction, so a burst of trials costs one sync (several milliseconds, blocking the process)
 * instead of one each.
 */
class DurableBatches {
  private pending: DurableJob[] = [];
  private draining = false;

  constructor(private readonly db: Db) {}

  run<T>(write: DurableWrite<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.pending.length > 0) {
        // One turn of the event loop lets writes arriving together join the batch.
        await new Promise((resolve) => setImmediate(resolve));
        await this.commit(this.pending.splice(0));
      }
    } finally {
      this.draining = false;
    }
  }

  private async commit(batch: DurableJob[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const results = await this.synced(async (trx) => {
          const out: unknown[] = [];
          for (const job of batch) out.push(await job.write(trx));
          return out;
        });
        batch.forEach((job, i) => job.resolve(results[i]));
        return;
      } catch {
        // One write failed and the batch rolled back: commit each alone, so only it fails.
      }
    }
    for (const job of batch) {
      try {
        job.resolve(await this.synced(job.write));
      } catch (error) {
        job.reject(error);
      }
    }
  }

  /** One transaction with `synchronous = FULL` on SQLite's one connection, NORMAL again after. */
  private synced<T>(write: DurableWrite<T>): Promise<T> {
    return this.db.connection().execute(async (connection) => {
      await sql`pragma synchronous = FULL`.execute(connection);
      try {
        return await connection.transaction().execute(write);
      } finally {
        await sql`pragma synchronous = NORMAL`.execute(connection);
      }
    });
  }
}

const durableBatches = new WeakMap<Db, DurableBatches>();

/**
 * Runs `write` in a transaction whose commit is on the disk when this returns, for records the
 * headset deletes once acknowledged (trials, session start and end, calibration): a power loss
 * must not take them back. SQLite: `synchronous = FULL` for that transaction only (the WAL is
 * synced, and with it every earlier commit), other writes keep NORMAL's pace; concurrent durable
 * writes share one transaction and one sync (group commit). PostgreSQL commits durably anyway.
 *
 * `write` runs inside a transaction, possibly shared with other writes: it must not open its own
 * (put everything that must commit together in it), and it may run a second time, alone, when
 * another write of its batch failed (it saw a rolled-back transaction the first time).
 */
export function durably<T>(db: Db, write: DurableWrite<T>): Promise<T> {
  if (db.isTransaction) throw new Error('durably() opens its own transaction; call it outside one');
  if (db.getExecutor().adapter instanceof PostgresAdapter) return db.transaction().execute(write);
  let batches = durableBatches.get(db);
  if (batches === undefined) {
    batches = new DurableBatches(db);
    durableBatches.set(db, batches);
  }
  return batches.run(write);
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

/**
 * Makes an erasure reach the bytes on disk. With secure_delete the deleted cells and pages are
 * zeroed, but in WAL mode the zeroed pages first go to the WAL, beside the older frames that still
 * hold the erased rows: a TRUNCATE checkpoint copies the zeroed pages into the database file and
 * empties the WAL. PostgreSQL needs its own procedure (docs/security.md, Right to erasure).
 */
export async function eraseFromDisk(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  const result = await sql<{
    busy: number;
    log: number;
    checkpointed: number;
  }>`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  const row = result.rows[0];
  if (row !== undefined && row.busy !== 0) {
    throw new Error('the WAL checkpoint after an erasure was blocked by a reader');
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
