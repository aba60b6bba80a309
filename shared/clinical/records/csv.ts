import { armAsymmetry, armsPlayed, METRIC_BETTER, otherArm, summarizeByArm } from '../arms';
import type { ReachMetricKey } from '../kinematics/metrics';
import { METRIC_INFO } from '../metric-info';
import { summarizeSession } from '../summary';
import { SPEC_VERSION } from '../version';
import { baselineFlagCodes } from './baseline-flags';
import type { SessionExportRecord, SessionExportRow, TrialRecord } from './types';

type Cell = string | number | null | undefined;

/**
 * RFC 4180 field: quoted when it holds a comma, quote or line break. Numbers use String(), which
 * always writes '.' as decimal point whatever the locale. Text starting with = + @ or a tab is
 * prefixed with ' so spreadsheets do not run it as a formula (CSV injection).
 */
export function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Object.is(v, -0) ? 0 : v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (CRLF-terminated); a file is its header line then its row lines. */
export const csvLine = (cells: readonly Cell[]): string => cells.map(csvField).join(',') + '\r\n';

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return csvLine(header) + rows.map(csvLine).join('');
}

const metricColumns = METRIC_INFO.map((m) => m.column);

/** Columns of trials.csv, in order (see docs/clinical-core.md). */
export const TRIAL_CSV_COLUMNS: readonly string[] = [
  'spec_version',
  'session_id',
  'patient_code',
  'arm',
  'trial_number',
  'task',
  'set',
  'started_at',
  'ended_at',
  'level_before',
  'level_after',
  'distance_fraction',
  'target_radius_m',
  'time_limit_s',
  'spread_deg',
  'target_x_m',
  'target_y_m',
  'target_z_m',
  'outcome',
  't_contact_s',
  ...metricColumns,
  'flags',
  'reason',
  'input_mode',
  'grasp_reach_s',
  'grasp_acquire_s',
  'grasp_transport_s',
  'grasp_release_s',
  'grasp_drops',
  'assessment',
  'baseline_flags',
];

/** Row lines of trials.csv (no header), so a long export can be written in pieces. */
export function trialCsvRows(rows: readonly TrialRecord[]): string {
  return rows
    .map((r) => {
      const flags = [...new Set([...(r.metrics?.flags ?? []), ...(r.flags ?? [])])];
      return [
        r.metrics?.specVersion ?? SPEC_VERSION,
        r.sessionId,
        r.patientCode,
        r.arm,
        r.trialNumber,
        r.task,
        r.set ?? null,
        r.startedAt,
        r.endedAt,
        r.levelBefore,
        r.levelAfter,
        r.params.distanceFraction,
        r.params.targetRadius,
        r.params.timeLimit,
        r.params.spreadDeg,
        r.target[0],
        r.target[1],
        r.target[2],
        r.outcome,
        r.tContact,
        ...METRIC_INFO.map((m) => (r.metrics ? r.metrics[m.key as ReachMetricKey] : null)),
        flags.join(';'),
        r.reason,
        r.inputMode ?? null,
        r.graspPhases?.reachS ?? null,
        r.graspPhases?.acquireS ?? null,
        r.graspPhases?.transportS ?? null,
        r.graspPhases?.releaseS ?? null,
        r.graspPhases?.drops ?? null,
        r.assessment === true ? 'true' : 'false',
        baselineFlagCodes(r.baselineFlags)
          .map((f) => f.code)
          .join(';'),
      ];
    })
    .map(csvLine)
    .join('');
}

export const trialsToCsv = (rows: readonly TrialRecord[]): string =>
  csvLine(TRIAL_CSV_COLUMNS) + trialCsvRows(rows);

/** The measures with a better direction: the only ones with an asymmetry index. */
const directedMetrics = METRIC_INFO.filter((m) => METRIC_BETTER[m.key] !== null);

/**
 * Columns of sessions.csv, one row per session and arm played: counts, mean/sd/median/n of each
 * metric over the arm's valid trials, then the arm's role and (on the affected arm's row of a
 * session that played both arms) the asymmetry index of each directed measure, in percent.
 */
export const SESSION_CSV_COLUMNS: readonly string[] = [
  'spec_version',
  'session_id',
  'patient_code',
  'arm',
  'started_at',
  'ended_at',
  'end_reason',
  'practitioner_id',
  'trials',
  'hits',
  'misses',
  'miss_not_reached',
  'miss_too_slow',
  'success_rate',
  'level_start',
  'level_end',
  ...metricColumns.flatMap((c) => [`${c}_mean`, `${c}_sd`, `${c}_median`, `${c}_n`]),
  'arm_role',
  ...directedMetrics.map((m) => `${m.column}_asymmetry_pct`),
  'world',
];

/**
 * The rows of one session in sessions.csv: one per arm that played (left, then right), each with
 * its own summary; a session without trials gives one row for its own arm. Never pooled: the
 * arms differ in impairment and in their difficulty settings.
 */
export function sessionArmRows(
  session: SessionExportRecord,
  trials: readonly TrialRecord[],
): SessionExportRow[] {
  const summaries = summarizeByArm(trials);
  const played = armsPlayed(summaries);
  const affected = session.affectedArm;
  const role = (arm: SessionExportRecord['arm']) =>
    affected === undefined || arm === 'alternate'
      ? null
      : arm === affected
        ? ('affected' as const)
        : ('less_affected' as const);
  if (played.length === 0) {
    const arm = session.arm === 'alternate' ? (affected ?? 'right') : session.arm;
    return [
      { ...session, arm, summary: summarizeSession([]), armRole: role(arm), asymmetry: null },
    ];
  }
  const asymmetry = affected === undefined ? null : armAsymmetry(summaries, affected);
  return played.map((arm) => ({
    ...session,
    arm,
    summary: summaries[arm]!,
    armRole: role(arm),
    asymmetry: arm === affected && summaries[otherArm(arm)] !== null ? asymmetry : null,
  }));
}

/** Row lines of sessions.csv (no header), so a long export can be written in pieces. */
export function sessionCsvRows(rows: readonly SessionExportRow[]): string {
  return rows
    .map((r) => {
      const s = r.summary;
      return [
        SPEC_VERSION,
        r.sessionId,
        r.patientCode,
        r.arm,
        r.startedAt,
        r.endedAt,
        r.endReason,
        r.practitionerId,
        s.trials,
        s.hits,
        s.misses,
        s.missNotReached,
        s.missTooSlow,
        s.successRate,
        s.levelStart,
        s.levelEnd,
        ...METRIC_INFO.flatMap((m) => {
          const st = s.metrics[m.key];
          return [st.mean, st.sd, st.median, st.n];
        }),
        r.armRole ?? null,
        ...directedMetrics.map((m) => r.asymmetry?.[m.key].value ?? null),
        r.world ?? null,
      ];
    })
    .map(csvLine)
    .join('');
}

export const sessionsToCsv = (rows: readonly SessionExportRow[]): string =>
  csvLine(SESSION_CSV_COLUMNS) + sessionCsvRows(rows);
