import { readStoredCalibration, type Calibration } from '../../shared/protocol';
import { HttpError } from '../http/errors';

/**
 * The one reader of a stored calibration column (patients.calibration_json,
 * sessions.calibration_json). A column that is not JSON is corrupt (a fault of the storage, not a
 * state the server ever writes); JSON the schema refuses was stored under older rules and reads
 * as no calibration, as readStoredCalibration says.
 */
export type StoredCalibration =
  | { readonly corrupt: false; readonly calibration: Calibration | null }
  | { readonly corrupt: true };

export function readCalibrationColumn(json: string | null | undefined): StoredCalibration {
  if (json === null || json === undefined) return { corrupt: false, calibration: null };
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    return { corrupt: true };
  }
  return { corrupt: false, calibration: readStoredCalibration(stored) };
}

/**
 * The calibration, a corrupt one read as none. The safe choice wherever a calibration only
 * places or describes: storing a trial (sectors are then unknown, the trial is kept), the
 * headset's start-up data (it calibrates again, which replaces the corrupt column), merging a
 * newly saved calibration (the new one replaces it) and the summaries of session lists and
 * streamed exports (the reach workspace reads as not measured; one bad row must not fail a
 * page or cut a download half-way).
 */
export function calibrationOrNone(json: string | null | undefined): Calibration | null {
  const read = readCalibrationColumn(json);
  return read.corrupt ? null : read.calibration;
}

/**
 * The calibration, or a clear error for the API when it is corrupt: for the reports whose every
 * figure is derived from it (the personal report's trends, the map and trends CSV), which would
 * otherwise silently show every trial without a sector.
 */
export function calibrationOrError(
  json: string | null | undefined,
  whose: string,
): Calibration | null {
  const read = readCalibrationColumn(json);
  if (read.corrupt)
    throw new HttpError(
      'conflict',
      `${whose} stored calibration is unreadable (corrupt); calibrate again on the headset to replace it`,
    );
  return read.calibration;
}
