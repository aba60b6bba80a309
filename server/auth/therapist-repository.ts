import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../storage/database';
import type { TherapistTable } from '../storage/schema';
import { findActiveLoginToken, insertLoginToken, revokeLoginToken } from './login-token-repository';

/** Therapist accounts and their sign-ins (login tokens, stored as hashes). */
export interface TherapistRepository {
  create(username: string, passwordHash: string): Promise<Therapist>;
  findByUsername(username: string): Promise<Selectable<TherapistTable> | undefined>;
  /** Every account whose sockets were ever ordered closed, with when. */
  listAccessChanges(): Promise<{ id: string; access_changed_at: string | null }[]>;
  /** Returns the token's id. */
  insertLoginToken(therapistId: string, tokenHash: string, expiresAt: string): Promise<string>;
  findActiveLoginToken(
    tokenHash: string,
    now: string,
  ): Promise<
    { tokenId: string; therapistId: string; username: string; expiresAt: string } | undefined
  >;
  revokeLoginToken(tokenId: string): Promise<void>;
}

export function kyselyTherapistRepository(db: Db): TherapistRepository {
  return {
    create: (username, passwordHash) => createTherapist(db, username, passwordHash),
    findByUsername: (username) => findTherapistByUsername(db, username),
    listAccessChanges: () => listAccessChanges(db),
    insertLoginToken: (therapistId, tokenHash, expiresAt) =>
      insertLoginToken(db, therapistId, tokenHash, expiresAt),
    findActiveLoginToken: (tokenHash, now) => findActiveLoginToken(db, tokenHash, now),
    revokeLoginToken: (tokenId) => revokeLoginToken(db, tokenId),
  };
}

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

/** Revokes every live sign-in of the account; returns how many there were. */
export async function revokeTherapistTokens(db: Db, id: string, now: string): Promise<number> {
  const result = await db
    .updateTable('login_tokens')
    .set({ revoked_at: now })
    .where('therapist_id', '=', id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Orders the account's open sockets closed on every process (see watchAccountChanges). */
export async function markAccessChanged(db: Db, id: string, now: string): Promise<void> {
  await db.updateTable('therapists').set({ access_changed_at: now }).where('id', '=', id).execute();
}

export async function setTherapistDisabled(
  db: Db,
  id: string,
  disabledAt: string | null,
): Promise<void> {
  await db
    .updateTable('therapists')
    .set({ disabled_at: disabledAt })
    .where('id', '=', id)
    .execute();
}

/** Every account whose sockets were ever ordered closed, with when (a handful of rows). */
export async function listAccessChanges(db: Db) {
  return db
    .selectFrom('therapists')
    .select(['id', 'access_changed_at'])
    .where('access_changed_at', 'is not', null)
    .execute();
}
