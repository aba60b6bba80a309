import { randomUUID } from 'node:crypto';
import { PostgresAdapter, type Selectable } from 'kysely';
import type { Arm, Calibration } from '../../shared/protocol';
import { readStoredPlan } from '../../shared/clinical/plan';
import { newestCalibration } from '../../shared/game/calibration';
import type {
  DifficultyState,
  PatientCreate,
  PatientPatch,
  PatientRecord,
} from '../../shared/protocol/http';
import { durably, type Db } from '../storage/database';
import type { PatientTable } from '../storage/schema';
import { calibrationOrNone, readCalibrationColumn } from './stored-calibration';

export type PatientRow = Selectable<PatientTable>;

/** The patients the therapists keep, with each one's plan, calibration and levels. */
export interface PatientRepository {
  insert(therapistId: string, input: Required<PatientCreate>): Promise<PatientRecord>;
  find(id: string): Promise<PatientRow | undefined>;
  findByCode(therapistId: string, code: string): Promise<{ id: string } | undefined>;
  /** A therapist's patients, by code. */
  listOfTherapist(therapistId: string): Promise<PatientRow[]>;
  update(id: string, patch: PatientPatch): Promise<void>;
  /**
   * Durable (see `durably`): the headset forgets its calibration once this returns. Each arm keeps
   * the newer measurement of the stored one and `measured` (see `saveNewestCalibration`); null
   * when the patient is gone.
   */
  saveNewestCalibration(id: string, measured: Calibration): Promise<CalibrationChange | null>;
  saveLevel(id: string, arm: Arm, level: number, endedAt: string): Promise<void>;
  /** See `changePlan`: the change is made to the plan as stored at that moment. */
  changePlan(
    id: string,
    change: (stored: unknown) => unknown,
  ): Promise<{ before: unknown; after: unknown } | null>;
  erase(id: string): Promise<void>;
}

export function kyselyPatientRepository(db: Db): PatientRepository {
  return {
    insert: (therapistId, input) => insertPatient(db, therapistId, input),
    find: (id) => findPatientRow(db, id),
    findByCode: (therapistId, code) => findPatientByCode(db, therapistId, code),
    listOfTherapist: (therapistId) => listPatientRows(db, therapistId),
    update: (id, patch) => updatePatient(db, id, patch),
    saveNewestCalibration: (id, measured) =>
      durably(db, (tx) => saveNewestCalibration(tx, id, measured)),
    saveLevel: (id, arm, level, endedAt) => saveLevel(db, id, arm, level, endedAt),
    changePlan: (id, change) => changePlan(db, id, change),
    erase: (id) => erasePatient(db, id),
  };
}

function levelsOf(row: PatientRow): DifficultyState {
  const levels: DifficultyState = {};
  if (row.left_level !== null && row.left_level_at !== null)
    levels.left = { level: Number(row.left_level), updatedAt: row.left_level_at };
  if (row.right_level !== null && row.right_level_at !== null)
    levels.right = { level: Number(row.right_level), updatedAt: row.right_level_at };
  return levels;
}

export function toPatientRecord(row: PatientRow): PatientRecord {
  const calibration = readCalibrationColumn(row.calibration_json);
  return {
    id: row.id,
    code: row.code,
    label: row.label,
    affectedArm: row.affected_arm as PatientRecord['affectedArm'],
    posture: row.posture as PatientRecord['posture'],
    notes: row.notes,
    plan: readStoredPlan(row.plan_json === null ? null : JSON.parse(row.plan_json)),
    calibration: (calibration.corrupt ? null : calibration.calibration) ?? {},
    calibrationCorrupt: calibration.corrupt,
    difficulty: levelsOf(row),
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
    left_level: null,
    left_level_at: null,
    right_level: null,
    right_level_at: null,
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

/** The patient's stored calibration before and after a save. */
export interface CalibrationChange {
  /** Null: none stored, or unreadable (corrupt), which the save replaces. */
  before: Calibration | null;
  after: Calibration;
}

/**
 * Stores a measured calibration arm by arm, in one transaction (on PostgreSQL with the row
 * locked): an arm takes the measurement when it is at least as new as the stored one
 * (`newestCalibration`, the rule the headset keeps its own by), so a slow second headset or an
 * outbox item re-sent late never replaces a newer measurement with an older one. An arm the save
 * does not carry stays as stored.
 */
export async function saveNewestCalibration(
  db: Db,
  id: string,
  measured: Calibration,
): Promise<CalibrationChange | null> {
  const lockRow = db.getExecutor().adapter instanceof PostgresAdapter;
  const select = db.selectFrom('patients').select('calibration_json').where('id', '=', id);
  const row = await (lockRow ? select.forUpdate() : select).executeTakeFirst();
  if (row === undefined) return null;
  // A corrupt stored calibration reads as none: the one just measured replaces it.
  const before = calibrationOrNone(row.calibration_json);
  const after = newestCalibration(measured, before ?? {});
  const afterJson = JSON.stringify(after);
  if (afterJson === row.calibration_json) return { before, after };
  await db
    .updateTable('patients')
    .set({ calibration_json: afterJson, updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
  return { before, after };
}

/**
 * Stores an arm's level from a trial that ended at `endedAt`, in one conditional UPDATE (atomic on
 * SQLite and PostgreSQL): an older trial arriving late from an outbox never rolls the level back,
 * and the same trial again writes the same value.
 */
export async function saveLevel(
  db: Db,
  id: string,
  arm: Arm,
  level: number,
  endedAt: string,
): Promise<void> {
  const [levelColumn, atColumn] =
    arm === 'left'
      ? (['left_level', 'left_level_at'] as const)
      : (['right_level', 'right_level_at'] as const);
  await db
    .updateTable('patients')
    .set({ [levelColumn]: level, [atColumn]: endedAt })
    .where('id', '=', id)
    .where((eb) => eb.or([eb(atColumn, 'is', null), eb(atColumn, '<=', endedAt)]))
    .execute();
}

/**
 * Changes the stored plan in one transaction (on PostgreSQL with the row locked), so a change that
 * waited for the headset is made to the plan as it is now, never to a copy read before the wait.
 * `change` gets the stored plan (null: none) and returns the plan to store.
 */
export async function changePlan(
  db: Db,
  id: string,
  change: (stored: unknown) => unknown,
): Promise<{ before: unknown; after: unknown } | null> {
  const lockRow = db.getExecutor().adapter instanceof PostgresAdapter;
  return db.transaction().execute(async (tx) => {
    const select = tx.selectFrom('patients').select('plan_json').where('id', '=', id);
    const row = await (lockRow ? select.forUpdate() : select).executeTakeFirst();
    if (row === undefined) return null;
    const before: unknown = row.plan_json === null ? null : JSON.parse(row.plan_json);
    const after = change(before);
    await tx
      .updateTable('patients')
      .set({ plan_json: JSON.stringify(after), updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
    return { before, after };
  });
}

/** Erasure: everything held about the patient goes, in one transaction. */
export async function erasePatient(db: Db, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('set_ratings').where('patient_id', '=', id).execute();
    await tx.deleteFrom('trials').where('patient_id', '=', id).execute();
    await tx.deleteFrom('sessions').where('patient_id', '=', id).execute();
    await tx.deleteFrom('devices').where('patient_id', '=', id).execute();
    await tx.deleteFrom('pairing_codes').where('patient_id', '=', id).execute();
    await tx.deleteFrom('audit_log').where('patient_id', '=', id).execute();
    await tx.deleteFrom('clinical_scales').where('patient_id', '=', id).execute();
    await tx.deleteFrom('performance_maps').where('patient_id', '=', id).execute();
    await tx.deleteFrom('patients').where('id', '=', id).execute();
  });
}
