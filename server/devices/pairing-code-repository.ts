import { randomUUID } from 'node:crypto';
import type { PairingCodeStatus } from '../../shared/protocol/http';
import type { Db } from '../storage/database';

export async function insertPairingCode(
  db: Db,
  patientId: string,
  codeHash: string,
  issuedAt: string,
  expiresAt: string,
): Promise<void> {
  await db
    .insertInto('pairing_codes')
    .values({
      id: randomUUID(),
      patient_id: patientId,
      code_hash: codeHash,
      created_at: issuedAt,
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
}

export async function isCodeHashPending(db: Db, codeHash: string, now: string): Promise<boolean> {
  const row = await db
    .selectFrom('pairing_codes')
    .select('id')
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Marks a pending code used and returns its patient, atomically: of two headsets racing with the
 * same code, exactly one wins.
 */
export async function consumePairingCode(
  db: Db,
  codeHash: string,
  now: string,
): Promise<string | null> {
  const pending = await db
    .selectFrom('pairing_codes')
    .select(['id', 'patient_id'])
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (pending === undefined) return null;
  const claimed = await db
    .updateTable('pairing_codes')
    .set({ used_at: now })
    .where('id', '=', pending.id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1 ? pending.patient_id : null;
}

/**
 * The patient's newest code and what became of it, with the headset it paired: what the
 * dashboard asks after its socket was away when `pairing:used` or `pairing:voided` went out.
 */
export async function latestPairingCode(
  db: Db,
  patientId: string,
  now: string,
  voidLimit: number,
): Promise<PairingCodeStatus | null> {
  const code = await db
    .selectFrom('pairing_codes')
    .select(['created_at', 'expires_at', 'used_at', 'wrong_guesses'])
    .where('patient_id', '=', patientId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (code === undefined) return null;
  const base = { issuedAt: code.created_at, expiresAt: code.expires_at };
  if (code.used_at !== null) {
    // Inserted right after the code was used up (server/devices/routes.ts, POST /api/pair).
    const device = await db
      .selectFrom('devices')
      .select('id')
      .where('patient_id', '=', patientId)
      .where('created_at', '>=', code.used_at)
      .orderBy('created_at', 'asc')
      .limit(1)
      .executeTakeFirst();
    return { ...base, state: 'used', pairedAt: code.used_at, deviceId: device?.id ?? null };
  }
  const state =
    code.expires_at > now ? 'pending' : code.wrong_guesses >= voidLimit ? 'voided' : 'expired';
  return { ...base, state, pairedAt: null, deviceId: null };
}

/** A new code replaces the patient's older pending ones. */
export async function expirePendingCodes(db: Db, patientId: string, now: string): Promise<void> {
  await db
    .updateTable('pairing_codes')
    .set({ expires_at: now })
    .where('patient_id', '=', patientId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
}

/**
 * A wrong code counts against every code pending at that moment, whoever sent it and from
 * wherever: a guess cannot tell which code it aims at, so each is a try at all of them. Codes that
 * reached `limit` wrong guesses are voided; returns their patients and therapists.
 */
export async function countWrongGuess(
  db: Db,
  now: string,
  limit: number,
): Promise<{ patientId: string; therapistId: string }[]> {
  return db.transaction().execute(async (tx) => {
    await tx
      .updateTable('pairing_codes')
      .set((eb) => ({ wrong_guesses: eb('wrong_guesses', '+', 1) }))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();
    const voided = await tx
      .updateTable('pairing_codes')
      .set({ expires_at: now })
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .where('wrong_guesses', '>=', limit)
      .returning('patient_id')
      .execute();
    if (voided.length === 0) return [];
    return tx
      .selectFrom('patients')
      .select(['id as patientId', 'therapist_id as therapistId'])
      .where(
        'id',
        'in',
        voided.map((row) => row.patient_id),
      )
      .execute();
  });
}
