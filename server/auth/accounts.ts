import { appendAudit } from '../audit/repository';
import type { Db } from '../storage/database';
import {
  findTherapistByUsername,
  markAccessChanged,
  revokeTherapistTokens,
  setTherapistDisabled,
  setTherapistPassword,
} from './therapist-repository';

/**
 * What an administrator does to therapist accounts (server/cli/therapist-account.ts). Each
 * operation is one transaction with its audit entries. Whatever takes access away also revokes
 * the account's tokens and marks it changed, so every server process closes its open sockets
 * (watchAccountChanges in server/auth/account-watch.ts).
 */

/** A refusal the administrator can act on; the CLI prints its message. */
export class AccountError extends Error {}

async function therapistNamed(db: Db, username: string) {
  const row = await findTherapistByUsername(db, username);
  if (row === undefined) throw new AccountError(`There is no therapist named ${username}.`);
  return row;
}

/** Cuts every sign-in of the account: tokens revoked at once, sockets closed on every process. */
async function cutAccess(db: Db, therapistId: string): Promise<number> {
  const now = new Date().toISOString();
  const revoked = await revokeTherapistTokens(db, therapistId, now);
  await markAccessChanged(db, therapistId, now);
  return revoked;
}

/** A new password; every sign-in made with the old one ends. */
export async function resetPassword(
  db: Db,
  username: string,
  passwordHash: string,
): Promise<{ tokensRevoked: number }> {
  return db.transaction().execute(async (tx) => {
    const therapist = await therapistNamed(tx, username);
    await setTherapistPassword(tx, therapist.id, passwordHash);
    const tokensRevoked = await cutAccess(tx, therapist.id);
    await appendAudit(tx, {
      actorKind: 'system',
      actorId: therapist.id,
      action: 'therapist.password_reset',
      newValue: { tokensRevoked },
    });
    return { tokensRevoked };
  });
}

/** The account can no longer sign in, and its sign-ins end now. */
export async function disableTherapist(
  db: Db,
  username: string,
): Promise<{ tokensRevoked: number; wasDisabled: boolean }> {
  return db.transaction().execute(async (tx) => {
    const therapist = await therapistNamed(tx, username);
    const wasDisabled = therapist.disabled_at !== null;
    if (!wasDisabled) await setTherapistDisabled(tx, therapist.id, new Date().toISOString());
    const tokensRevoked = await cutAccess(tx, therapist.id);
    await appendAudit(tx, {
      actorKind: 'system',
      actorId: therapist.id,
      action: 'therapist.disable',
      newValue: { tokensRevoked },
    });
    return { tokensRevoked, wasDisabled };
  });
}

export async function enableTherapist(db: Db, username: string): Promise<{ wasDisabled: boolean }> {
  return db.transaction().execute(async (tx) => {
    const therapist = await therapistNamed(tx, username);
    const wasDisabled = therapist.disabled_at !== null;
    if (wasDisabled) {
      await setTherapistDisabled(tx, therapist.id, null);
      await appendAudit(tx, {
        actorKind: 'system',
        actorId: therapist.id,
        action: 'therapist.enable',
      });
    }
    return { wasDisabled };
  });
}

/**
 * Hands every patient of `fromUsername` (a therapist who leaves) to `toUsername`, with their
 * sessions, devices and history. Each patient's audit log records the handover. The former
 * therapist's open dashboards are closed, so they stop watching at once; their account stays as it
 * is (disable it separately).
 */
export async function transferPatients(
  db: Db,
  fromUsername: string,
  toUsername: string,
): Promise<{ patients: number }> {
  if (fromUsername === toUsername) throw new AccountError('Choose two different therapists.');
  return db.transaction().execute(async (tx) => {
    const from = await therapistNamed(tx, fromUsername);
    const to = await therapistNamed(tx, toUsername);
    if (to.disabled_at !== null) {
      throw new AccountError(`${toUsername} is disabled: enable the account first.`);
    }
    const patients = await tx
      .selectFrom('patients')
      .select(['id', 'code'])
      .where('therapist_id', '=', from.id)
      .orderBy('code')
      .execute();
    const taken = new Set(
      (
        await tx.selectFrom('patients').select('code').where('therapist_id', '=', to.id).execute()
      ).map((p) => p.code),
    );
    const clashes = patients.filter((p) => taken.has(p.code)).map((p) => p.code);
    if (clashes.length > 0) {
      throw new AccountError(
        `${toUsername} already has patients with the codes ${clashes.join(', ')}: ` +
          'change those codes first (codes are unique per therapist).',
      );
    }
    await tx
      .updateTable('patients')
      .set({ therapist_id: to.id, updated_at: new Date().toISOString() })
      .where('therapist_id', '=', from.id)
      .execute();
    for (const patient of patients) {
      await appendAudit(tx, {
        actorKind: 'system',
        actorId: null,
        patientId: patient.id,
        action: 'patient.transfer',
        oldValue: { therapistId: from.id, username: from.username },
        newValue: { therapistId: to.id, username: to.username },
      });
    }
    await appendAudit(tx, {
      actorKind: 'system',
      actorId: from.id,
      action: 'therapist.transfer_patients',
      newValue: { toTherapistId: to.id, patients: patients.length },
    });
    await markAccessChanged(tx, from.id, new Date().toISOString());
    return { patients: patients.length };
  });
}
