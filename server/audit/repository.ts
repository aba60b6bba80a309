import { randomUUID } from 'node:crypto';
import type { Db } from '../storage/database';

export type ActorKind = 'therapist' | 'device' | 'anonymous' | 'system';

export interface AuditEntry {
  actorKind: ActorKind;
  actorId: string | null;
  patientId?: string | null;
  sessionId?: string | null;
  action: string;
  oldValue?: unknown;
  newValue?: unknown;
}

export interface AuditRecord {
  id: string;
  at: string;
  actorKind: string;
  actorId: string | null;
  patientId: string | null;
  sessionId: string | null;
  action: string;
  oldValue: unknown;
  newValue: unknown;
}

/** The audit log: append-only (the data layer offers no update; deletion only in erasure). */
export interface AuditRepository {
  append(entry: AuditEntry): Promise<void>;
  /** The patient's entries, newest first. */
  list(patientId: string, limit?: number): Promise<AuditRecord[]>;
}

export function kyselyAuditRepository(db: Db): AuditRepository {
  return {
    append: (entry) => appendAudit(db, entry),
    list: (patientId, limit) => listAudit(db, patientId, limit),
  };
}

const json = (value: unknown): string | null =>
  value === undefined ? null : JSON.stringify(value);

/** Append-only: the data layer offers no update, and deletion only as part of erasure. */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: randomUUID(),
      at: new Date().toISOString(),
      actor_kind: entry.actorKind,
      actor_id: entry.actorId,
      patient_id: entry.patientId ?? null,
      session_id: entry.sessionId ?? null,
      action: entry.action,
      old_value_json: json(entry.oldValue),
      new_value_json: json(entry.newValue),
    })
    .execute();
}

export async function listAudit(db: Db, patientId: string, limit = 1000): Promise<AuditRecord[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    patientId: r.patient_id,
    sessionId: r.session_id,
    action: r.action,
    oldValue: r.old_value_json === null ? null : (JSON.parse(r.old_value_json) as unknown),
    newValue: r.new_value_json === null ? null : (JSON.parse(r.new_value_json) as unknown),
  }));
}
