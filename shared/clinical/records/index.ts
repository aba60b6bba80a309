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
  isSessionObservation,
  OBSERVATION_CATEGORY_SYSTEM,
  REACH_CODE_SYSTEM,
  sessionToFhirBundle,
  trialObservation,
  UCUM_SYSTEM,
} from './fhir';
export { TRACKING_FLAGS, trackingQualityNote } from './flags';
export { graspPhasesSchema } from './types';
export type {
  FhirBundle,
  FhirCode,
  FhirObservation,
  FhirOptions,
  FhirTrialObservation,
} from './fhir';
export type { GraspPhaseTimes, SessionExportRecord, SessionExportRow, TrialRecord } from './types';
