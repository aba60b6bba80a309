import { painPauses } from '../ratings';
import { SPEC_VERSION } from '../version';
import { csvLine } from './csv';
import { OBSERVATION_CATEGORY_SYSTEM, REACH_CODE_SYSTEM, UCUM_SYSTEM } from './fhir';
import type { FhirCodeableConcept, FhirOptions, FhirQuantity } from './fhir';
import type { SessionExportRecord } from './types';
import type { Arm } from '../types';

/** One set's rating as the exports need it; the server maps its rows to this. */
export type SetRatingRow = {
  sessionId: string;
  /** ISO 8601 with offset: the session's start, so rows sort and chart across sessions. */
  sessionStartedAt: string;
  /** Pseudonymous patient code, never a name. */
  patientCode: string;
  /** 0-based over the session's sets, in plan order (exported 1-based as `set_number`). */
  setIndex: number;
  arm: Arm;
  /** Borg CR10, 0-10 in halves; null when not given. */
  effort: number | null;
  /** Numeric rating scale 0-10; null when not given. */
  pain: number | null;
  skipped: boolean;
  /** The pain at or above which the headset paused the session. */
  painPauseAt: number;
  /** ISO 8601 with offset. */
  ratedAt: string;
};

/** Columns of ratings.csv, in order (see docs/clinical-core.md). */
export const RATING_CSV_COLUMNS: readonly string[] = [
  'spec_version',
  'session_id',
  'session_started_at',
  'patient_code',
  'set_number',
  'arm',
  'rated_at',
  'effort_borg_cr10',
  'pain_nrs',
  'skipped',
  'pain_pause_at',
  'paused_for_pain',
];

/** Row lines of ratings.csv (no header). */
export function ratingCsvRows(rows: readonly SetRatingRow[]): string {
  return rows
    .map((r) =>
      csvLine([
        SPEC_VERSION,
        r.sessionId,
        r.sessionStartedAt,
        r.patientCode,
        r.setIndex + 1,
        r.arm,
        r.ratedAt,
        r.effort,
        r.pain,
        r.skipped ? 'yes' : 'no',
        r.painPauseAt,
        painPauses(r.pain, r.painPauseAt) ? 'yes' : 'no',
      ]),
    )
    .join('');
}

export const ratingsToCsv = (rows: readonly SetRatingRow[]): string =>
  csvLine(RATING_CSV_COLUMNS) + ratingCsvRows(rows);

export const LOINC_SYSTEM = 'http://loinc.org';
export const DATA_ABSENT_REASON_SYSTEM = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';

/**
 * Codes of the rating Observations. Pain has its own LOINC code (72514-3, the 0-10 numeric rating
 * scale). LOINC has no code for the Borg CR10 scale itself, so effort carries the product's own
 * code first and LOINC 82289-0 (a 0-10 rating of perceived exertion) as a second coding, for
 * systems that group exertion ratings; docs/clinical-core.md says so.
 */
export const RATING_FHIR_CODES = {
  pain: {
    coding: [
      {
        system: LOINC_SYSTEM,
        code: '72514-3',
        display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported',
      },
    ],
    text: 'Pain after the set (0-10)',
  },
  effort: {
    coding: [
      {
        system: REACH_CODE_SYSTEM,
        code: 'effort-borg-cr10',
        display: 'Perceived effort, Borg CR10 (0-10)',
      },
      { system: LOINC_SYSTEM, code: '82289-0', display: 'Rating of perceived exertion [Score]' },
    ],
    text: 'Effort of the set (Borg CR10)',
  },
  setNumber: {
    coding: [{ system: REACH_CODE_SYSTEM, code: 'set-number', display: 'Set number' }],
    text: 'Set number',
  },
} as const satisfies Record<string, FhirCodeableConcept>;

export type FhirRatingObservation = {
  resourceType: 'Observation';
  id: string;
  status: 'final' | 'preliminary';
  category: FhirCodeableConcept[];
  code: FhirCodeableConcept;
  subject: { type: 'Patient'; identifier: { system: string; value: string } };
  effectiveDateTime: string;
  issued: string;
  /** The patient reported it: the performer is the subject itself. */
  performer: { type: 'Patient'; identifier: { system: string; value: string } }[];
  device: { display: string };
  bodySite: { text: string };
  component: { code: FhirCodeableConcept; valueQuantity: FhirQuantity }[];
  note?: { text: string }[];
} & (
  | { valueQuantity: FhirQuantity }
  | { dataAbsentReason: { coding: { system: string; code: string; display: string }[] } }
);

const score = (value: number): FhirQuantity => ({
  value,
  unit: '{score}',
  system: UCUM_SYSTEM,
  code: '{score}',
});
const safeId = (s: string) => s.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64);

/**
 * Two Observations per rated set, pain and effort (category `survey`, `effectiveDateTime` when the
 * patient answered, `bodySite` the set's arm, component `set-number`); an answer not given carries
 * `dataAbsentReason` `asked-declined` instead of a value. A pain at or above the threshold notes
 * that the session paused. `status` follows the session's (preliminary while it runs).
 */
export function ratingObservations(
  session: Pick<SessionExportRecord, 'sessionId' | 'patientCode' | 'endedAt'>,
  ratings: readonly SetRatingRow[],
  opts: FhirOptions = {},
): FhirRatingObservation[] {
  const identifier = {
    system: opts.patientIdentifierSystem ?? 'https://reach.example/fhir/patient-code',
    value: session.patientCode,
  };
  return ratings.flatMap((r) => {
    const base = {
      resourceType: 'Observation' as const,
      status: session.endedAt === null ? ('preliminary' as const) : ('final' as const),
      category: [
        {
          coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'survey', display: 'Survey' }],
          text: 'Survey',
        },
      ],
      subject: { type: 'Patient' as const, identifier },
      effectiveDateTime: r.ratedAt,
      issued: opts.timestamp ?? r.ratedAt,
      performer: [{ type: 'Patient' as const, identifier }],
      device: { display: opts.deviceName ?? 'Reach VR rehabilitation (browser)' },
      bodySite: { text: `${r.arm} arm` },
      component: [{ code: RATING_FHIR_CODES.setNumber, valueQuantity: score(r.setIndex + 1) }],
    };
    const value = (v: number | null) =>
      v === null
        ? {
            dataAbsentReason: {
              coding: [
                {
                  system: DATA_ABSENT_REASON_SYSTEM,
                  code: 'asked-declined',
                  display: 'Asked But Declined',
                },
              ],
            },
          }
        : { valueQuantity: score(v) };
    const set = `${session.sessionId}-set-${r.setIndex + 1}`;
    const paused = painPauses(r.pain, r.painPauseAt);
    return [
      {
        ...base,
        id: safeId(`${set}-pain`),
        code: RATING_FHIR_CODES.pain,
        ...value(r.pain),
        ...(paused
          ? {
              note: [
                {
                  text: `At or above the pause threshold (${r.painPauseAt}): the session paused and the therapist was alerted.`,
                },
              ],
            }
          : {}),
      },
      { ...base, id: safeId(`${set}-effort`), code: RATING_FHIR_CODES.effort, ...value(r.effort) },
    ];
  });
}
