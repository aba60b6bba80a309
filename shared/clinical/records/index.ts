export {
  csvField,
  csvLine,
  SESSION_CSV_COLUMNS,
  sessionCsvRows,
  sessionsToCsv,
  toCsv,
  TRIAL_CSV_COLUMNS,
  trialCsvRows,
  trialsToCsv,
} from './csv';
export {
  FHIR_CODES,
  OBSERVATION_CATEGORY_SYSTEM,
  REACH_CODE_SYSTEM,
  sessionToFhirBundle,
  UCUM_SYSTEM,
} from './fhir';
export { TRACKING_FLAGS, trackingQualityNote } from './flags';
export type { FhirBundle, FhirCode, FhirObservation, FhirOptions } from './fhir';
export type { SessionRecord, SessionRow, TrialRecord } from './types';
