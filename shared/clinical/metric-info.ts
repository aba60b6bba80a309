import type { ReachMetricKey } from './kinematics/metrics';

export type MetricInfo = {
  key: ReachMetricKey;
  /** CSV column stem, SI unit in the name. */
  column: string;
  /** UCUM unit code. */
  ucum: string;
  /** Code in the product's FHIR CodeSystem. */
  code: string;
  display: string;
  definition: string;
};

/**
 * One table for every place a metric is named (CSV columns, FHIR codes, session summary), so an
 * export can never disagree with another about what a number is.
 */
export const METRIC_INFO: readonly MetricInfo[] = [
  {
    key: 'reactionTime',
    column: 'reaction_time_s',
    ucum: 's',
    code: 'reaction-time',
    display: 'Reaction time',
    definition:
      'Time from target appearance to movement onset (hand speed rising through 5 % of its peak).',
  },
  {
    key: 'movementTime',
    column: 'movement_time_s',
    ucum: 's',
    code: 'movement-time',
    display: 'Movement time',
    definition:
      'Time from movement onset to offset (speed back below 5 % of peak for at least 0.1 s).',
  },
  {
    key: 'peakSpeed',
    column: 'peak_speed_m_per_s',
    ucum: 'm/s',
    code: 'peak-speed',
    display: 'Peak hand speed',
    definition: 'Maximum hand speed during the reach (filtered, 6 Hz).',
  },
  {
    key: 'timeToPeakPct',
    column: 'time_to_peak_pct',
    ucum: '%',
    code: 'time-to-peak',
    display: 'Time to peak speed',
    definition:
      'Time from onset to peak speed as a percentage of movement time (50 % = symmetric bell).',
  },
  {
    key: 'pathLength',
    column: 'path_length_m',
    ucum: 'm',
    code: 'path-length',
    display: 'Hand path length',
    definition: 'Length of the hand path from onset to offset.',
  },
  {
    key: 'straightDistance',
    column: 'straight_distance_m',
    ucum: 'm',
    code: 'straight-distance',
    display: 'Straight-line distance',
    definition: 'Distance between the hand positions at onset and offset.',
  },
  {
    key: 'pathRatio',
    column: 'path_ratio',
    ucum: '1',
    code: 'path-ratio',
    display: 'Path length ratio',
    definition: 'Path length divided by straight-line distance (1 = perfectly straight).',
  },
  {
    key: 'maxPerpDeviation',
    column: 'max_perp_deviation_m',
    ucum: 'm',
    code: 'max-perp-deviation',
    display: 'Maximum path deviation',
    definition: 'Largest distance of the hand from the onset-offset line.',
  },
  {
    key: 'speedPeaks',
    column: 'speed_peaks',
    ucum: '1',
    code: 'movement-units',
    display: 'Movement units',
    definition:
      'Number of speed peaks (rise >= 0.02 m/s, peaks within 0.15 s merged); 1 = one smooth submovement.',
  },
  {
    key: 'sparc',
    column: 'sparc',
    ucum: '1',
    code: 'sparc',
    display: 'Spectral arc length (SPARC)',
    definition:
      'Smoothness: minus the arc length of the normalised speed spectrum up to 10 Hz (Balasubramanian 2015); closer to 0 (about -1.4 for an ideal reach) is smoother.',
  },
  {
    key: 'ldlj',
    column: 'ldlj',
    ucum: '1',
    code: 'ldlj',
    display: 'Log dimensionless jerk',
    definition:
      'Smoothness: -ln(T^3/v_peak^2 * integral of squared jerk); higher (less negative) is smoother. Sensitive to tracking noise.',
  },
  {
    key: 'normalizedJerk',
    column: 'normalized_jerk',
    ucum: '1',
    code: 'normalized-jerk',
    display: 'Normalised jerk',
    definition: 'sqrt(0.5 * integral of squared jerk * T^5 / path length^2); lower is smoother.',
  },
  {
    key: 'meanJerk',
    column: 'mean_jerk_m_per_s3',
    ucum: 'm/s3',
    code: 'mean-jerk',
    display: 'Mean jerk magnitude',
    definition: 'Mean magnitude of jerk over the movement; dimensional, for logs only.',
  },
  {
    key: 'endpointError',
    column: 'endpoint_error_m',
    ucum: 'm',
    code: 'endpoint-error',
    display: 'Endpoint error',
    definition: 'Distance from the hand at movement offset to the target centre.',
  },
  {
    key: 'endpointAlong',
    column: 'endpoint_along_m',
    ucum: 'm',
    code: 'endpoint-along',
    display: 'Endpoint error along reach',
    definition:
      'Component of the endpoint error along the onset-to-target direction (+ = overshoot).',
  },
  {
    key: 'endpointPerp',
    column: 'endpoint_perp_m',
    ucum: 'm',
    code: 'endpoint-perp',
    display: 'Endpoint error across reach',
    definition: 'Endpoint error perpendicular to the onset-to-target direction.',
  },
  {
    key: 'minDistanceToTarget',
    column: 'min_distance_to_target_m',
    ucum: 'm',
    code: 'closest-approach',
    display: 'Closest approach to target',
    definition: 'Smallest distance of the hand from the target centre over the whole trial window.',
  },
  {
    key: 'trunkForward',
    column: 'trunk_forward_m',
    ucum: 'm',
    code: 'trunk-forward',
    display: 'Forward trunk displacement',
    definition:
      'Largest forward (toward the target, horizontal) head displacement from its onset position during the reach.',
  },
  {
    key: 'trunkMax',
    column: 'trunk_max_m',
    ucum: 'm',
    code: 'trunk-displacement',
    display: 'Trunk displacement',
    definition:
      'Largest head displacement from its onset position during the reach, any direction.',
  },
  {
    key: 'trunkRatioPct',
    column: 'trunk_ratio_pct',
    ucum: '%',
    code: 'trunk-ratio',
    display: 'Trunk compensation ratio',
    definition: 'Forward head displacement as a percentage of the forward hand displacement.',
  },
];

export const METRIC_KEYS: readonly ReachMetricKey[] = METRIC_INFO.map((m) => m.key);
