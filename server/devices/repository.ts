import { randomUUID } from 'node:crypto';
import type { Db } from '../storage/database';

export async function insertDevice(db: Db, patientId: string, tokenHash: string): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('devices')
    .values({
      id,
      patient_id: patientId,
      token_hash: tokenHash,
      created_at: new Date().toISOString(),
      last_seen_at: null,
      revoked_at: null,
    })
    .execute();
  return id;
}

export async function findActiveDevice(db: Db, tokenHash: string) {
  return db
    .selectFrom('devices')
    .select(['id', 'patient_id'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function findDevice(db: Db, id: string) {
  return db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listDevices(db: Db, patientId: string) {
  return db
    .selectFrom('devices')
    .select(['id', 'created_at', 'last_seen_at', 'revoked_at'])
    .where('patient_id', '=', patientId)
    .orderBy('created_at', 'asc')
    .execute();
}

export async function touchDevice(db: Db, id: string): Promise<void> {
  await db
    .updateTable('devices')
    .set({ last_seen_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Returns whether the device was active until now. */
export async function revokeDevice(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('devices')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
