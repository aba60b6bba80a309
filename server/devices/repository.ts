import { randomUUID } from 'node:crypto';
import type { Db } from '../storage/database';
import {
  consumePairingCode,
  countWrongGuess,
  expirePendingCodes,
  insertPairingCode,
  isCodeHashPending,
  latestPairingCode,
} from './pairing-code-repository';
import type { PairingCodeStatus } from '../../shared/protocol/http';

export interface DeviceSummary {
  id: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

/** Paired headsets and the pairing codes that pair them (only hashes of tokens and codes). */
export interface DeviceRepository {
  /** Returns the new device's id. */
  insert(patientId: string, tokenHash: string): Promise<string>;
  findActive(tokenHash: string): Promise<{ id: string; patient_id: string } | undefined>;
  find(id: string): Promise<(DeviceSummary & { patient_id: string }) | undefined>;
  /** The patient's devices, oldest first. */
  list(patientId: string): Promise<DeviceSummary[]>;
  touch(id: string): Promise<void>;
  /** Whether the device was active until now. */
  revoke(id: string): Promise<boolean>;
  insertPairingCode(
    patientId: string,
    codeHash: string,
    issuedAt: string,
    expiresAt: string,
  ): Promise<void>;
  /** The patient's newest code and what became of it; null when none was ever issued. */
  latestPairingCode(
    patientId: string,
    now: string,
    voidLimit: number,
  ): Promise<PairingCodeStatus | null>;
  isCodeHashPending(codeHash: string, now: string): Promise<boolean>;
  /** The code's patient, when this call used it up (of two racing, exactly one wins). */
  consumePairingCode(codeHash: string, now: string): Promise<string | null>;
  expirePendingCodes(patientId: string, now: string): Promise<void>;
  /** Counts a wrong code against every pending code; returns the patients whose code it voided. */
  countWrongGuess(
    now: string,
    limit: number,
  ): Promise<{ patientId: string; therapistId: string }[]>;
}

export function kyselyDeviceRepository(db: Db): DeviceRepository {
  return {
    insert: (patientId, tokenHash) => insertDevice(db, patientId, tokenHash),
    findActive: (tokenHash) => findActiveDevice(db, tokenHash),
    find: (id) => findDevice(db, id),
    list: (patientId) => listDevices(db, patientId),
    touch: (id) => touchDevice(db, id),
    revoke: (id) => revokeDevice(db, id),
    insertPairingCode: (patientId, codeHash, issuedAt, expiresAt) =>
      insertPairingCode(db, patientId, codeHash, issuedAt, expiresAt),
    latestPairingCode: (patientId, now, voidLimit) =>
      latestPairingCode(db, patientId, now, voidLimit),
    isCodeHashPending: (codeHash, now) => isCodeHashPending(db, codeHash, now),
    consumePairingCode: (codeHash, now) => consumePairingCode(db, codeHash, now),
    expirePendingCodes: (patientId, now) => expirePendingCodes(db, patientId, now),
    countWrongGuess: (now, limit) => countWrongGuess(db, now, limit),
  };
}

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
