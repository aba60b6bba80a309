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
export * from './ratings';
