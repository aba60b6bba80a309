import { csvLine } from '../records/csv';
import type { Arm } from '../types';
import { buildPerformanceMap, performanceMap } from './map';
import { azimuthBinOf, elevationBinOf, sectorShortName } from './sectors';
import { assessmentValues } from './session-values';
import { recoveryTrend, TREND_MEASURES, type TrendMeasure, type TrendReport } from './trend';
import type { PersonalTrial } from './trial';

/** One session as the trends read it: its date, its whole-session values and its trials. */
export interface PersonalSession {
  startedAt: string;
  levelEnd: number | null;
  reachWorkspace: number | null;
  /** In trial order, with sectors (personalTrial). */
  trials: readonly PersonalTrial[];
}

/** The order the panel, the report and trends.csv list the measures in. */
export const TREND_ORDER: readonly TrendMeasure[] = [
  'levelReached',
  'workspaceReached',
  'assessmentSuccess',
  'assessmentMovementTime',
  'assessmentSparc',
];

/** Every measure's trend for `arm` (the assessment measures are the arm's), sessions in any order. */
export function personalTrends(sessions: readonly PersonalSession[], arm: Arm): TrendReport[] {
  const ordered = [...sessions].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const values: Record<TrendMeasure, { date: string; value: number | null }[]> = {
    levelReached: [],
    workspaceReached: [],
    assessmentSuccess: [],
    assessmentMovementTime: [],
    assessmentSparc: [],
  };
  for (const s of ordered) {
    const date = s.startedAt;
    values.levelReached.push({ date, value: s.levelEnd });
    values.workspaceReached.push({ date, value: s.reachWorkspace });
    const assessment = assessmentValues(s.trials, arm);
    values.assessmentSuccess.push({ date, value: assessment.assessmentSuccess });
    values.assessmentMovementTime.push({ date, value: assessment.assessmentMovementTime });
    values.assessmentSparc.push({ date, value: assessment.assessmentSparc });
  }
  return TREND_ORDER.map((m) => recoveryTrend(m, values[m]));
}

/** Columns of map.csv (docs/clinical-core.md): one row per arm with trials and sector. */
export const MAP_CSV_COLUMNS: readonly string[] = [
  'patient_code',
  'arm',
  'sector',
  'sector_name',
  'azimuth_bin',
  'elevation_bin',
  'trials',
  'effective_trials',
  'success_rate',
  'movement_time_median_s',
  'sparc_median',
  'path_ratio_median',
];

/**
 * The rows of map.csv: per arm that has trials (right first), all 24 sectors of its map over
 * every session (older sessions weighing less, as on the dashboard). Empty cells where a
 * sector has no value; never NaN.
 */
export function mapCsvRows(patientCode: string, trials: readonly PersonalTrial[]): string {
  let out = '';
  for (const arm of ['right', 'left'] as const) {
    if (!trials.some((t) => t.arm === arm)) continue;
    for (const s of performanceMap(buildPerformanceMap(trials, arm)))
      out += csvLine([
        patientCode,
        arm,
        s.sector,
        sectorShortName(s.sector),
        azimuthBinOf(s.sector),
        elevationBinOf(s.sector),
        s.trials,
        s.effectiveTrials,
        s.successRate,
        s.movementTime,
        s.sparc,
        s.pathRatio,
      ]);
  }
  return out;
}

/** Columns of trends.csv (docs/clinical-core.md): one row per arm with trials and measure. */
export const TREND_CSV_COLUMNS: readonly string[] = [
  'patient_code',
  'arm',
  'measure',
  'measure_name',
  'state',
  'sessions',
  'span_days',
  'slope_per_week',
  'slope_ci_low',
  'slope_ci_high',
  'projection_date',
  'projection',
  'projection_low',
  'projection_high',
  'reason',
];

/** The rows of trends.csv for one arm: the method's numbers, or the reason there are none. */
export function trendCsvRows(
  patientCode: string,
  arm: Arm,
  trends: readonly TrendReport[],
): string {
  return trends
    .map((t) =>
      csvLine([
        patientCode,
        arm,
        t.measure,
        TREND_MEASURES[t.measure].name,
        t.state,
        t.sessions,
        t.spanDays,
        ...(t.state === 'trend'
          ? [
              t.slope,
              t.slopeLow,
              t.slopeHigh,
              t.projection.date,
              t.projection.value,
              t.projection.low,
              t.projection.high,
              '',
            ]
          : ['', '', '', '', '', '', '', t.reason]),
      ]),
    )
    .join('');
}
