import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type Db } from '../../server/storage/database';

/** SQLite's `synchronous` values: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
const FULL = 2;

describe('SQLite commits survive a power loss', () => {
  let dir = '';
  let db: Db;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reach-durability-'));
    db = openDatabase({ databaseUrl: null, sqlitePath: join(dir, 'reach.sqlite') });
    await migrateToLatest(db);
  });

  afterAll(async () => {
    await db?.destroy();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('syncs the WAL on every commit, so an acknowledged trial is on the disk', async () => {
    // The headset deletes a trial once acknowledged: the commit before the acknowledgement must be
    // durable, which in WAL mode takes synchronous = FULL (NORMAL may lose the last commits).
    const { rows: mode } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    expect(mode[0]?.journal_mode).toBe('wal');
    const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
    expect(rows[0]?.synchronous).toBe(FULL);
  });
});
