import { Migrator, PostgresAdapter, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/storage/database';
import { planInForce, readStoredPlan } from '../../shared/clinical/plan';
import { migrationProvider } from '../../server/storage/migrations';
import {
  changePlan,
  findPatientRow,
  saveLevel,
  toPatientRecord,
} from '../../server/patients/repository';
import { storageBackends, type StorageBackend } from './databases';

type Opened = Awaited<ReturnType<StorageBackend['open']>>;

const backends = storageBackends('difficulty storage');

describe.each(backends)('levels and settings stored on $name', (backend) => {
  let opened: Opened | null = null;
  afterEach(async () => {
    await opened?.cleanup();
    opened = null;
  });

  it("migration 0004 keeps each arm's level and drops the silently kept configs", async () => {
    opened = await backend.open();
    const { db } = opened;
    const dialect = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
    const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
    const { error } = await migrator.migrateTo('0003_account_control');
    expect(error).toBeUndefined();
    const at = '2026-01-05T10:00:00.000Z';
    await sql`insert into therapists (id, username, password_hash, created_at)
              values ('t1', 'ora', 'hash', ${at})`.execute(db);
    const difficulty = {
      left: { level: 12.5, config: { minLevel: 10, maxLevel: 10 }, updatedAt: at },
      right: { level: 61, config: {}, updatedAt: '2026-01-06T09:00:00.000Z' },
    };
    for (const [id, state] of [
      ['p1', difficulty],
      ['p2', {}],
    ] as const) {
      await sql`insert into patients (id, therapist_id, code, label, affected_arm, posture, notes,
                  plan_json, calibration_json, difficulty_json, created_at, updated_at)
                values (${id}, 't1', ${id}, 'x', 'right', 'seated', '', null, '{}',
                  ${JSON.stringify(state)}, ${at}, ${at})`.execute(db);
    }
    await migrateToLatest(db);
    const p1 = toPatientRecord((await findPatientRow(db, 'p1'))!);
    expect(p1.difficulty).toEqual({
      left: { level: 12.5, updatedAt: at },
      right: { level: 61, updatedAt: '2026-01-06T09:00:00.000Z' },
    });
    expect(p1.plan).toBeNull();
    expect(toPatientRecord((await findPatientRow(db, 'p2'))!).difficulty).toEqual({});
  });

  it('stores a level only forward in time, and changes the plan in one step', async () => {
    opened = await backend.open();
    const { db } = opened;
    await migrateToLatest(db);
    const at = '2026-01-05T10:00:00.000Z';
    await sql`insert into therapists (id, username, password_hash, created_at)
              values ('t1', 'ora', 'hash', ${at})`.execute(db);
    await sql`insert into patients (id, therapist_id, code, label, affected_arm, posture, notes,
                plan_json, calibration_json, created_at, updated_at)
              values ('p1', 't1', 'p1', 'x', 'left', 'seated', '', null, '{}', ${at}, ${at})`.execute(
      db,
    );
    await saveLevel(db, 'p1', 'left', 30, '2026-01-05T10:00:05.000Z');
    await saveLevel(db, 'p1', 'left', 20, '2026-01-05T10:00:01.000Z');
    await saveLevel(db, 'p1', 'right', 55, '2026-01-05T10:00:03.000Z');
    await saveLevel(db, 'p1', 'right', 55, '2026-01-05T10:00:03.000Z');
    const changed = await changePlan(db, 'p1', (stored) => ({
      ...planInForce(readStoredPlan(stored), 'left'),
      maxMinutes: 12,
    }));
    expect(changed?.before).toBeNull();
    expect(changed?.after).toMatchObject({ arm: 'left', maxMinutes: 12 });
    const row = toPatientRecord((await findPatientRow(db, 'p1'))!);
    expect(row.difficulty).toEqual({
      left: { level: 30, updatedAt: '2026-01-05T10:00:05.000Z' },
      right: { level: 55, updatedAt: '2026-01-05T10:00:03.000Z' },
    });
    expect(row.plan).toMatchObject({ arm: 'left', maxMinutes: 12 });
    // A stored plan the schema refuses reads as none (the default plan applies), never as itself.
    await changePlan(db, 'p1', (stored) => ({ stored, changed: true }));
    expect(toPatientRecord((await findPatientRow(db, 'p1'))!).plan).toBeNull();
    expect(await changePlan(db, 'nobody', () => ({}))).toBeNull();
  });
});
