import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durably, migrateToLatest, openDatabase, type Db } from '../../server/storage/database';
import { startServer, type RunningServer } from '../support/server';
import {
  connect,
  createPatient,
  makeTrial,
  pairDeviceToken,
  request,
  therapistWithToken,
  type TestSocket,
} from './helpers';

/** SQLite's `synchronous` values: 1 NORMAL (a power loss may undo the last commits), 2 FULL. */
const NORMAL = 1;
const FULL = 2;

const synchronous = async (db: Db) =>
  (await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows[0]?.synchronous;

describe('durable commits (SQLite)', () => {
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

  it('syncs the commits of a durable write only, and refuses to run inside a transaction', async () => {
    expect(await synchronous(db)).toBe(NORMAL);
    expect(await durably(db, (inner) => synchronous(inner))).toBe(FULL);
    expect(await synchronous(db)).toBe(NORMAL);
    await expect(
      db.transaction().execute((trx) => durably(trx, (inner) => synchronous(inner))),
    ).rejects.toThrow(/outside/);
  });

  it('commits writes arriving together in one transaction, and isolates one that fails', async () => {
    await sql`create table notes (id integer primary key, text text not null)`.execute(db);
    const note = (id: number, text: string | null) => (trx: Db) =>
      sql`insert into notes (id, text) values (${id}, ${text})`.execute(trx).then(() => id);
    const results = await Promise.allSettled([
      durably(db, note(1, 'a')),
      durably(db, note(2, null)),
      durably(db, note(3, 'c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const { rows } = await sql<{ id: number }>`select id from notes order by id`.execute(db);
    expect(rows.map((r) => r.id)).toEqual([1, 3]);
    expect(await synchronous(db)).toBe(NORMAL);
  });
});

describe('what the headset forgets once acknowledged survives a power loss', () => {
  let server: RunningServer;
  let device: TestSocket;
  let observer: BetterSqlite3.Database;

  beforeAll(async () => {
    server = await startServer();
    const therapist = await therapistWithToken(server, 'dr-durable');
    const patientId = (await createPatient(server.url, therapist, 'D-1')).id;
    device = await connect(server.url, await pairDeviceToken(server.url, therapist, patientId));
    // Triggers run on the server's own connection: they record its `synchronous` at each commit.
    observer = new BetterSqlite3(join(server.dataDir, 'reach.sqlite'));
    observer.pragma('busy_timeout = 5000');
    observer.exec(`
      create table sync_seen (what text, synchronous integer);
      create trigger trial_sync after insert on trials
        begin insert into sync_seen select 'trial', synchronous from pragma_synchronous; end;
      create trigger session_start_sync after insert on sessions
        begin insert into sync_seen select 'session', synchronous from pragma_synchronous; end;
      create trigger session_end_sync after update of ended_at on sessions
        begin insert into sync_seen select 'end', synchronous from pragma_synchronous; end;`);
  });
  afterAll(async () => {
    device?.close();
    observer?.close();
    await server?.close();
  });

  it('commits a session start, a trial and a session end with synchronous = FULL', async () => {
    const sessionId = randomUUID();
    const started = await request(device, 'session:start', {
      sessionId,
      mode: 'home',
      startedAt: new Date().toISOString(),
    });
    expect(started).toMatchObject({ ok: true });
    expect(await request(device, 'trial:submit', makeTrial(sessionId, 1))).toMatchObject({
      ok: true,
    });
    const ended = await request(device, 'session:end', {
      sessionId,
      endedAt: new Date().toISOString(),
      reason: 'plan_complete',
    });
    expect(ended).toMatchObject({ ok: true });
    expect(observer.prepare('select what, synchronous from sync_seen').all()).toEqual([
      { what: 'session', synchronous: FULL },
      { what: 'trial', synchronous: FULL },
      { what: 'end', synchronous: FULL },
    ]);
  });
});
