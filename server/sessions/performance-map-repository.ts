import type { Arm } from '../../shared/protocol';
import type { Db } from '../storage/database';

export interface StoredPerformanceMap {
  snapshotJson: string;
  /** How many of the arm's stored trials the map holds. */
  trialsCounted: number;
}

/** A stored trial as the map is rebuilt from it: the result and its session's calibration. */
export interface MapSourceRow {
  resultJson: string;
  sessionId: string;
  /** The calibration the session ran with; null for sessions recorded before it was kept. */
  sessionCalibrationJson: string | null;
}

/** The performance maps (one per patient and arm) and the stored trials they are derived from. */
export interface PerformanceMapRepository {
  find(patientId: string, arm: Arm): Promise<StoredPerformanceMap | undefined>;
  /**
   * Stores the map only while the stored one still holds `trialsCounted` trials (null: while
   * there is none), so a writer that read an older map never overwrites a newer one; whether it
   * stored it.
   */
  saveIfCounted(
    patientId: string,
    arm: Arm,
    map: StoredPerformanceMap,
    trialsCounted: number | null,
  ): Promise<boolean>;
  countTrials(patientId: string, arm: Arm): Promise<number>;
  /** The arm's trials, sessions by start (then id), a session's by trial number. */
  listSource(patientId: string, arm: Arm): Promise<MapSourceRow[]>;
}

export function kyselyPerformanceMapRepository(db: Db): PerformanceMapRepository {
  return {
    async find(patientId, arm) {
      const row = await db
        .selectFrom('performance_maps')
        .select(['snapshot_json', 'trials_counted'])
        .where('patient_id', '=', patientId)
        .where('arm', '=', arm)
        .executeTakeFirst();
      return row === undefined
        ? undefined
        : { snapshotJson: row.snapshot_json, trialsCounted: Number(row.trials_counted) };
    },
    async saveIfCounted(patientId, arm, map, trialsCounted) {
      const updatedAt = new Date().toISOString();
      if (trialsCounted === null) {
        const inserted = await db
          .insertInto('performance_maps')
          .values({
            patient_id: patientId,
            arm,
            snapshot_json: map.snapshotJson,
            trials_counted: map.trialsCounted,
            updated_at: updatedAt,
          })
          .onConflict((oc) => oc.columns(['patient_id', 'arm']).doNothing())
          .executeTakeFirst();
        return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n;
      }
      const updated = await db
        .updateTable('performance_maps')
        .set({
          snapshot_json: map.snapshotJson,
          trials_counted: map.trialsCounted,
          updated_at: updatedAt,
        })
        .where('patient_id', '=', patientId)
        .where('arm', '=', arm)
        .where('trials_counted', '=', trialsCounted)
        .executeTakeFirst();
      return updated.numUpdatedRows > 0n;
    },
    async countTrials(patientId, arm) {
      const row = await db
        .selectFrom('trials')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('patient_id', '=', patientId)
        .where('arm', '=', arm)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async listSource(patientId, arm) {
      const rows = await db
        .selectFrom('trials')
        .innerJoin('sessions', 'sessions.id', 'trials.session_id')
        .select([
          'trials.result_json as resultJson',
          'trials.session_id as sessionId',
          'sessions.calibration_json as sessionCalibrationJson',
        ])
        .where('trials.patient_id', '=', patientId)
        .where('trials.arm', '=', arm)
        .orderBy('sessions.started_at')
        .orderBy('trials.session_id')
        .orderBy('trials.trial_number')
        .execute();
      return rows;
    },
  };
}
