import { painPauses } from '../ratings';
import type { Arm } from '../types';
import { SPEC_VERSION } from '../version';
import { csvLine } from './csv';
import type { SetRatingRow } from './set-ratings';

/**
 * The clinical alerts a patient's sessions raised, as kept by the server, for alerts.csv: the
 * unusual-trial alerts as they went out (table abnormal_alerts), the session's signs of fatigue
 * (found once per session, kept with its trial in trial_flags) and every pain rating at or above
 * the threshold the headset applied (the same rule that paused the session, from the stored
 * ratings). The live view's other alerts (headset offline, stream stalled, difficulty at a bound,
 * trunk lean, tracking, time nearly up) describe the moment and are not kept.
 */
export type AlertKind = 'abnormal_trial' | 'fatigue' | 'pain_reported';

export type PatientAlertRow = {
  kind: AlertKind;
  sessionId: string;
  /** ISO 8601 with offset: the session's start, so rows sort and group by session. */
  sessionStartedAt: string;
  /** Pseudonymous patient code, never a name. */
  patientCode: string;
  /**
   * ISO 8601: when the server raised it (abnormal trial, fatigue); for pain, when the patient
   * rated the set (the headset's clock).
   */
  raisedAt: string;
  arm: Arm | null;
  /** The trial it went out with (abnormal trial, fatigue), 1-based within the session. */
  trialNumber: number | null;
  /** 0-based set of the rating (pain), exported 1-based as `set_number`. */
  setIndex: number | null;
  /** Abnormal trial: the flagged trials it stands for (folded to at most one alert a minute). */
  flaggedTrials: number | null;
  pain: number | null;
  painPauseAt: number | null;
  text: string;
};

/** Columns of alerts.csv, in order (see docs/clinical-core.md). */
export const ALERT_CSV_COLUMNS: readonly string[] = [
  'spec_version',
  'session_id',
  'session_started_at',
  'patient_code',
  'kind',
  'raised_at',
  'arm',
  'trial_number',
  'set_number',
  'flagged_trials',
  'pain_nrs',
  'pain_pause_at',
  'text',
];

/** The pain alerts among a patient's set ratings: the ratings that paused their session. */
export function painAlertRows(ratings: readonly SetRatingRow[]): PatientAlertRow[] {
  return ratings
    .filter((r) => painPauses(r.pain, r.painPauseAt))
    .map((r) => ({
      kind: 'pain_reported',
      sessionId: r.sessionId,
      sessionStartedAt: r.sessionStartedAt,
      patientCode: r.patientCode,
      raisedAt: r.ratedAt,
      arm: r.arm,
      trialNumber: null,
      setIndex: r.setIndex,
      flaggedTrials: null,
      pain: r.pain,
      painPauseAt: r.painPauseAt,
      text: `Pain ${r.pain}/10 reported after set ${r.setIndex + 1} (${r.arm} arm), at or above ${r.painPauseAt}: the session paused.`,
    }));
}

const time = (iso: string) => Date.parse(iso);

/**
 * Oldest session first, then each session's alerts in the order they were raised (on a tie:
 * abnormal trial, fatigue, pain), so the file reads as the sessions went.
 */
export function sortAlertRows(rows: readonly PatientAlertRow[]): PatientAlertRow[] {
  const order: Record<AlertKind, number> = { abnormal_trial: 0, fatigue: 1, pain_reported: 2 };
  return [...rows].sort(
    (a, b) =>
      time(a.sessionStartedAt) - time(b.sessionStartedAt) ||
      a.sessionId.localeCompare(b.sessionId) ||
      time(a.raisedAt) - time(b.raisedAt) ||
      order[a.kind] - order[b.kind],
  );
}

/** Row lines of alerts.csv (no header). */
export function alertCsvRows(rows: readonly PatientAlertRow[]): string {
  return rows
    .map((r) =>
      csvLine([
        SPEC_VERSION,
        r.sessionId,
        r.sessionStartedAt,
        r.patientCode,
        r.kind,
        r.raisedAt,
        r.arm,
        r.trialNumber,
        r.setIndex === null ? null : r.setIndex + 1,
        r.flaggedTrials,
        r.pain,
        r.painPauseAt,
        r.text,
      ]),
    )
    .join('');
}

export const alertsToCsv = (rows: readonly PatientAlertRow[]): string =>
  csvLine(ALERT_CSV_COLUMNS) + alertCsvRows(sortAlertRows(rows));
