import { randomUUID } from 'node:crypto';
import type { Db } from '../storage/database';

export async function insertLoginToken(
  db: Db,
  therapistId: string,
  tokenHash: string,
  expiresAt: string,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('login_tokens')
    .values({
      id,
      therapist_id: therapistId,
      token_hash: tokenHash,
      created_at: new Date().toISOString(),
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  return id;
}

/**
 * The therapist behind a live (unexpired, unrevoked) login token of an enabled account. Disabling
 * revokes the tokens too; the check here also covers one issued while the disable committed.
 */
export async function findActiveLoginToken(db: Db, tokenHash: string, now: string) {
  return db
    .selectFrom('login_tokens')
    .innerJoin('therapists', 'therapists.id', 'login_tokens.therapist_id')
    .select([
      'login_tokens.id as tokenId',
      'therapists.id as therapistId',
      'therapists.username as username',
      'login_tokens.expires_at as expiresAt',
    ])
    .where('login_tokens.token_hash', '=', tokenHash)
    .where('login_tokens.revoked_at', 'is', null)
    .where('therapists.disabled_at', 'is', null)
    .where('login_tokens.expires_at', '>', now)
    .executeTakeFirst();
}

export async function revokeLoginToken(db: Db, tokenId: string): Promise<void> {
  await db
    .updateTable('login_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .execute();
}
