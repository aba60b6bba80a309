import { csvLine } from './records/csv';
import { OBSERVATION_CATEGORY_SYSTEM, UCUM_SYSTEM } from './records/fhir';
import type { Arm } from './types';

/**
 * Standard clinical scales the therapist measures by hand and records beside the kinematics.
 * Only what was measured is stored: nothing here estimates a scale from the game's measures.
 */
export type ScaleKey = 'fugl_meyer_ue' | 'arat' | 'box_and_block';

export type ScaleInfo = {
  key: ScaleKey;
  /** Name on screen and in exports. */
  display: string;
  /** Short name for charts and tables. */
  short: string;
  min: number;
  max: number;
  /** Unit as a therapist reads it. */
  unit: string;
  /** UCUM unit (annotations in braces are unitless counts). */
  ucum: string;
  /** Code in REACH_SCALE_CODE_SYSTEM (see docs/clinical-core.md, "Clinical scales"). */
  code: string;
  definition: string;
};

/**
 * No LOINC code for these totals could be verified from the references available to this
 * project, so they are coded in the product's own code system (documented in
 * docs/clinical-core.md); a clinic's interface engine can map them to LOINC or SNOMED CT.
 */
export const REACH_SCALE_CODE_SYSTEM =
  'https://reach.example/fhir/CodeSystem/reach-clinical-scales';

export const SCALES: readonly ScaleInfo[] = [
  {
    key: 'fugl_meyer_ue',
    display: 'Fugl-Meyer Assessment, upper extremity motor score',
    short: 'FMA-UE',
    min: 0,
    max: 66,
    unit: 'points',
    ucum: '{score}',
    code: 'fugl-meyer-ue-motor',
    definition:
      'Fugl-Meyer Assessment of the upper extremity, motor part (items A-D), total 0-66; higher = less impairment. Scored for the arm named.',
  },
  {
    key: 'arat',
    display: 'Action Research Arm Test',
    short: 'ARAT',
    min: 0,
    max: 57,
    unit: 'points',
    ucum: '{score}',
    code: 'arat-total',
    definition:
      'Action Research Arm Test, 19 items in grasp, grip, pinch and gross movement, total 0-57 for one arm; higher = better function.',
  },
  {
    key: 'box_and_block',
    display: 'Box and Block Test',
    short: 'BBT',
    min: 0,
    max: 150,
    unit: 'blocks/min',
    ucum: '{blocks}/min',
    code: 'box-and-block',
    definition:
      'Box and Block Test: blocks carried one at a time over the partition in one minute with the arm named; higher = better dexterity.',
  },
];

export const SCALE_KEYS = SCALES.map((s) => s.key) as [ScaleKey, ...ScaleKey[]];

export const scaleInfo = (key: ScaleKey): ScaleInfo => SCALES.find((s) => s.key === key)!;

/** One recorded score, as stored and exported. */
export type ScaleEntry = {
  id: string;
  scale: ScaleKey;
  /** The arm the score is for. */
  arm: Arm;
  value: number;
  /** Date of the assessment, YYYY-MM-DD (the clinic's calendar day). */
  measuredOn: string;
  note: string;
  /** Who recorded it and when (ISO 8601), and when it was last corrected. */
  recordedBy: string;
  recordedAt: string;
  updatedAt: string;
};

/** Columns of scales.csv, in order (see docs/clinical-core.md). */
export const SCALE_CSV_COLUMNS: readonly string[] = [
  'patient_code',
  'measured_on',
  'scale',
  'scale_name',
  'arm',
  'value',
  'unit',
  'range_min',
  'range_max',
  'note',
  'recorded_by',
  'recorded_at',
  'updated_at',
  'entry_id',
];

export function scalesToCsv(patientCode: string, entries: readonly ScaleEntry[]): string {
  return (
    csvLine(SCALE_CSV_COLUMNS) +
    entries
      .map((e) => {
        const info = scaleInfo(e.scale);
        return csvLine([
          patientCode,
          e.measuredOn,
          e.scale,
          info.display,
          e.arm,
          e.value,
          info.unit,
          info.min,
          info.max,
          e.note,
          e.recordedBy,
          e.recordedAt,
          e.updatedAt,
          e.id,
        ]);
      })
      .join('')
  );
}

export type FhirScaleObservation = {
  resourceType: 'Observation';
  id: string;
  status: 'final' | 'amended';
  category: { coding: { system: string; code: string; display: string }[]; text: string }[];
  code: { coding: { system: string; code: string; display: string }[]; text: string };
  subject: { type: 'Patient'; identifier: { system: string; value: string } };
  effectiveDateTime: string;
  issued: string;
  performer: { reference: string; type: 'Practitioner' }[];
  valueQuantity: { value: number; unit: string; system: string; code: string };
  bodySite: { text: string };
  referenceRange: { low: { value: number }; high: { value: number }; text: string }[];
  note?: { text: string }[];
};

export type FhirScaleBundle = {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: string;
  entry: { resource: FhirScaleObservation }[];
};

const safeId = (s: string): string => s.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64);

/**
 * One FHIR R4 Observation per recorded score (category `exam`): value in the scale's unit,
 * `effectiveDateTime` the day of the assessment, `bodySite` the arm, the scale's range as
 * `referenceRange` (the possible scores, not a normal range), `amended` once corrected.
 */
export function scalesToFhirBundle(
  patientCode: string,
  entries: readonly ScaleEntry[],
  opts: { patientIdentifierSystem?: string; timestamp: string },
): FhirScaleBundle {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: opts.timestamp,
    entry: entries.map((e) => {
      const info = scaleInfo(e.scale);
      return {
        resource: {
          resourceType: 'Observation',
          id: safeId(`scale-${e.id}`),
          status: e.updatedAt === e.recordedAt ? 'final' : 'amended',
          category: [
            {
              coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'exam', display: 'Exam' }],
              text: 'Exam',
            },
          ],
          code: {
            coding: [{ system: REACH_SCALE_CODE_SYSTEM, code: info.code, display: info.display }],
            text: info.display,
          },
          subject: {
            type: 'Patient',
            identifier: {
              system: opts.patientIdentifierSystem ?? 'https://reach.example/fhir/patient-code',
              value: patientCode,
            },
          },
          effectiveDateTime: e.measuredOn,
          issued: e.updatedAt,
          performer: [{ reference: `Practitioner/${safeId(e.recordedBy)}`, type: 'Practitioner' }],
          valueQuantity: { value: e.value, unit: info.unit, system: UCUM_SYSTEM, code: info.ucum },
          bodySite: { text: `${e.arm} arm` },
          referenceRange: [
            {
              low: { value: info.min },
              high: { value: info.max },
              text: `possible scores ${info.min}-${info.max} ${info.unit}`,
            },
          ],
          ...(e.note ? { note: [{ text: e.note }] } : {}),
        },
      };
    }),
  };
}
