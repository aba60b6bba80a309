import { randomUUID } from 'node:crypto';
import type { Calibration } from '../../shared/protocol';
import type {
  DifficultyState,
  PatientCreate,
  PatientPatch,
  PatientRecord,
} from '../../shared/protocol/http';
import type { Db } from './database';
import type { PatientTable } from './schema';

export function toPatientRecord(row: PatientTable): PatientRecord {
  return {
    id: row.id,
    code: row.code,
    label: row.label,
    affectedArm: row.affected_arm as PatientRecord['affectedArm'],
    posture: row.posture as PatientRecord['posture'],
    notes: row.notes,
    plan: row.plan_json === null ? null : (JSON.parse(row.plan_json) as PatientRecord['plan']),
    calibration: JSON.parse(row.calibration_json) as Calibration,
    difficulty: JSON.parse(row.difficulty_json) as DifficultyState,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertPatient(
  db: Db,
  therapistId: string,
  input: Required<PatientCreate>,
): Promise<PatientRecord> {
  const now = new Date().toISOString();
  const row: PatientTable = {
    id: randomUUID(),
    therapist_id: therapistId,
    code: input.code,
    label: input.label,
    affected_arm: input.affectedArm,
    posture: input.posture,
    notes: input.notes,
    plan_json: null,
    calibration_json: '{}',
    difficulty_json: '{}',
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('patients').values(row).execute();
  return toPatientRecord(row);
}

export async function findPatientRow(db: Db, id: string) {
  return db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPatientByCode(db: Db, therapistId: string, code: string) {
  return db
    .selectFrom('patients')
    .select('id')
    .where('therapist_id', '=', therapistId)
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function listPatientRows(db: Db, therapistId: string) {
  return db
    .selectFrom('patients')
    .selectAll()
    .where('therapist_id', '=', therapistId)
    .orderBy('code', 'asc')
    .execute();
}

export async function updatePatient(db: Db, id: string, patch: PatientPatch): Promise<void> {
  await db
    .updateTable('patients')
    .set({
      ...(patch.label !== undefined && { label: patch.label }),
      ...(patch.affectedArm !== undefined && { affected_arm: patch.affectedArm }),
      ...(patch.posture !== undefined && { posture: patch.posture }),
      ...(patch.notes !== undefined && { notes: patch.notes }),
      ...(patch.plan !== undefined && {
        plan_json: patch.plan === null ? null : JSON.stringify(patch.plan),
      }),
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

export async function saveCalibration(db: Db, id: string, calibration: Calibration): Promise<void> {
  await db
    .updateTable('patients')
    .set({ calibration_json: JSON.stringify(calibration), updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
}

export async function saveDifficulty(
  db: Db,
  id: string,
  difficulty: DifficultyState,
): Promise<void> {
  await db
    .updateTable('patients')
    .set({ difficulty_json: JSON.stringify(difficulty), updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Erasure: everything held about the patient goes, in one transaction. */
export async function erasePatient(db: Db, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('trials').where('patient_id', '=', id).execute();
    await tx.deleteFrom('sessions').where('patient_id', '=', id).execute();
    await tx.deleteFrom('devices').where('patient_id', '=', id).execute();
    await tx.deleteFrom('pairing_codes').where('patient_id', '=', id).execute();
    await tx.deleteFrom('audit_log').where('patient_id', '=', id).execute();
    await tx.deleteFrom('patients').where('id', '=', id).execute();
  });
}
