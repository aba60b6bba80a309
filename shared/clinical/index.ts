export { SPEC_VERSION } from './version';
export type { Arm, Task, TrialOutcome, Vec3 } from './types';
export { armSchema, finite, taskSchema, trialOutcomeSchema, vec3Schema } from './types';
export * from './difficulty/index';
export * from './kinematics/index';
export { fft } from './fft';
export { METRIC_INFO, METRIC_KEYS } from './metric-info';
export type { MetricInfo } from './metric-info';
export * from './plan/index';
export {
  describe as describeValues,
  metricStatsSchema,
  sessionSummarySchema,
  summarizeSession,
} from './summary';
export type { MetricStats, SessionSummary, SummaryTrial } from './summary';
export * from './records/index';
export * from './personal/index';
export {
  ARMS,
  armAsymmetry,
  armsPlayed,
  asymmetryIndex,
  METRIC_BETTER,
  otherArm,
  summarizeByArm,
} from './arms';
export type { ArmSummaries, Asymmetry } from './arms';
export {
  REACH_SCALE_CODE_SYSTEM,
  SCALE_CSV_COLUMNS,
  SCALE_KEYS,
  SCALES,
  scaleInfo,
  scalesToCsv,
  scalesToFhirBundle,
} from './scales';
export type {
  FhirScaleBundle,
  FhirScaleObservation,
  ScaleEntry,
  ScaleInfo,
  ScaleKey,
} from './scales';
export * from './ratings';
