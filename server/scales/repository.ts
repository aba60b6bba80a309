import { randomUUID } from 'node:crypto';
import type { ScaleEntry, ScaleKey } from '../../shared/clinical';
import type { Db } from '../storage/database';
import type { ClinicalScaleTable } from '../storage/schema';

const toEntry = (row: ClinicalScaleTable): ScaleEntry => ({
  id: row.id,
  scale: row.scale as ScaleKey,
  arm: row.arm as ScaleEntry['arm'],
  value: row.value,
  measuredOn: row.measured_on,
  note: row.note,
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at,
  updatedAt: row.updated_at,
});

/** Oldest assessment first (then in the order recorded), as charts and exports read them. */
export async function listScaleEntries(db: Db, patientId: string): Promise<ScaleEntry[]> {
  const rows = await db
    .selectFrom('clinical_scales')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('measured_on')
    .orderBy('recorded_at')
    .execute();
  return rows.map(toEntry);
}

export async function findScaleEntry(
  db: Db,
  patientId: string,
  id: string,
): Promise<ScaleEntry | undefined> {
  const row = await db
    .selectFrom('clinical_scales')
    .selectAll()
    .where('id', '=', id)
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  return row === undefined ? undefined : toEntry(row);
}

export async function insertScaleEntry(
  db: Db,
  patientId: string,
  recordedBy: string,
  input: Pick<ScaleEntry, 'scale' | 'arm' | 'value' | 'measuredOn' | 'note'>,
): Promise<ScaleEntry> {
  const now = new Date().toISOString();
  const row: ClinicalScaleTable = {
    id: randomUUID(),
    patient_id: patientId,
    scale: input.scale,
    arm: input.arm,
    value: input.value,
    measured_on: input.measuredOn,
    note: input.note,
    recorded_by: recordedBy,
    recorded_at: now,
    updated_at: now,
  };
  await db.insertInto('clinical_scales').values(row).execute();
  return toEntry(row);
}

export async function correctScaleEntry(
  db: Db,
  patientId: string,
  id: string,
  values: Pick<ScaleEntry, 'arm' | 'value' | 'measuredOn' | 'note'>,
): Promise<ScaleEntry | undefined> {
  await db
    .updateTable('clinical_scales')
    .set({
      arm: values.arm,
      value: values.value,
      measured_on: values.measuredOn,
      note: values.note,
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', id)
    .where('patient_id', '=', patientId)
    .execute();
  return findScaleEntry(db, patientId, id);
}

export async function deleteScaleEntry(db: Db, patientId: string, id: string): Promise<void> {
  await db
    .deleteFrom('clinical_scales')
    .where('id', '=', id)
    .where('patient_id', '=', patientId)
    .execute();
}

type ScaleValues = Pick<ScaleEntry, 'arm' | 'value' | 'measuredOn' | 'note'>;

/** The clinical scales a therapist measured, per patient. */
export interface ScaleRepository {
  /** Oldest assessment first. */
  list(patientId: string): Promise<ScaleEntry[]>;
  find(patientId: string, id: string): Promise<ScaleEntry | undefined>;
  insert(
    patientId: string,
    recordedBy: string,
    input: ScaleValues & Pick<ScaleEntry, 'scale'>,
  ): Promise<ScaleEntry>;
  correct(patientId: string, id: string, values: ScaleValues): Promise<ScaleEntry | undefined>;
  remove(patientId: string, id: string): Promise<void>;
}

export function kyselyScaleRepository(db: Db): ScaleRepository {
  return {
    list: (patientId) => listScaleEntries(db, patientId),
    find: (patientId, id) => findScaleEntry(db, patientId, id),
    insert: (patientId, recordedBy, input) => insertScaleEntry(db, patientId, recordedBy, input),
    correct: (patientId, id, values) => correctScaleEntry(db, patientId, id, values),
    remove: (patientId, id) => deleteScaleEntry(db, patientId, id),
  };
}
