export {
  csvField,
  csvLine,
  SESSION_CSV_COLUMNS,
  sessionArmRows,
  sessionCsvRows,
  sessionsToCsv,
  toCsv,
  TRIAL_CSV_COLUMNS,
  trialCsvRows,
  trialsToCsv,
} from './csv';
export {
  FHIR_CODES,
  GAME_WORLD_EXTENSION_URL,
  isSessionObservation,
  OBSERVATION_CATEGORY_SYSTEM,
  REACH_CODE_SYSTEM,
  sessionToFhirBundle,
  trialObservation,
  UCUM_SYSTEM,
} from './fhir';
export { TRACKING_FLAGS, trackingQualityNote } from './flags';
export {
  ALERT_CSV_COLUMNS,
  alertCsvRows,
  alertsToCsv,
  painAlertRows,
  sortAlertRows,
} from './alerts';
export type { AlertKind, PatientAlertRow } from './alerts';
export { BASELINE_FLAG_CODES, baselineFlagCodes, FATIGUE_FLAG_CODE } from './baseline-flags';
export type { BaselineFlagCode, BaselineFlagRecord } from './baseline-flags';
export { graspPhasesSchema } from './types';
export {
  DATA_ABSENT_REASON_SYSTEM,
  LOINC_SYSTEM,
  RATING_CSV_COLUMNS,
  RATING_FHIR_CODES,
  ratingCsvRows,
  ratingObservations,
  ratingsToCsv,
} from './set-ratings';
export type { FhirRatingObservation, SetRatingRow } from './set-ratings';
export type {
  FhirBundle,
  FhirCode,
  FhirObservation,
  FhirOptions,
  FhirTrialObservation,
} from './fhir';
export type { GraspPhaseTimes, SessionExportRecord, SessionExportRow, TrialRecord } from './types';
