export { butter2Lowpass, filtfilt } from './butterworth';
export type { Biquad } from './butterworth';
export { gradient } from './gradient';
export { ldlj } from './ldlj';
export {
  analyzeReach,
  checkReachConfig,
  computeReachMetrics,
  DEFAULT_REACH_CONFIG,
  emptyMetrics,
  FS_RANGE,
  REACH_CONFIG_RANGES,
  reachMetricKeySchema,
  reachMetricsSchema,
} from './metrics';
export type {
  ReachAnalysis,
  ReachAnalysisConfig,
  ReachFlag,
  ReachInput,
  ReachMetricKey,
  ReachMetrics,
  ReachRefusal,
} from './metrics';
export { ReachInputError } from './errors';
export {
  GLITCH_MAX_RUN,
  HAND_MAX_SPEED,
  HEAD_MAX_SPEED,
  JUMP_TOLERANCE_M,
  MAX_TIME_GAP,
  timeUnit,
} from './screen';
export { segmentMovement } from './segment';
export type { Segment } from './segment';
export { splineResample } from './spline';
export { sparc } from './sparc';
export type { SparcOptions } from './sparc';
