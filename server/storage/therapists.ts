import { randomUUID } from 'node:crypto';
import type { Db } from './database';

export interface Therapist {
  id: string;
  username: string;
}

export async function createTherapist(
  db: Db,
  username: string,
  passwordHash: string,
): Promise<Therapist> {
  const id = randomUUID();
  await db
    .insertInto('therapists')
    .values({ id, username, password_hash: passwordHash, created_at: new Date().toISOString() })
    .execute();
  return { id, username };
}

export async function findTherapistByUsername(db: Db, username: string) {
  return db
    .selectFrom('therapists')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
}

export async function setTherapistPassword(
  db: Db,
  id: string,
  passwordHash: string,
): Promise<void> {
  await db
    .updateTable('therapists')
    .set({ password_hash: passwordHash })
    .where('id', '=', id)
    .execute();
}

export async function countTherapists(db: Db): Promise<number> {
  const row = await db
    .selectFrom('therapists')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
