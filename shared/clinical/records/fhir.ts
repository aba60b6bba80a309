import { METRIC_INFO } from '../metric-info';
import { summarizeSession } from '../summary';
import { SPEC_VERSION } from '../version';
import { trackingQualityNote } from './flags';
import type { SessionRecord, TrialRecord } from './types';

export const REACH_CODE_SYSTEM = 'https://reach.example/fhir/CodeSystem/reach-metrics';
export const OBSERVATION_CATEGORY_SYSTEM =
  'http://terminology.hl7.org/CodeSystem/observation-category';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

export type FhirCode = { code: string; display: string; definition: string; unit: string | null };

/**
 * The product's own codes: no LOINC or SNOMED codes exist for these kinematic measures, so each
 * is defined here and in docs/clinical-core.md.
 */
export const FHIR_CODES: readonly FhirCode[] = [
  ...METRIC_INFO.map((m) => ({
    code: m.code,
    display: m.display,
    definition: `${m.definition} Session value: mean over trials where it is valid.`,
    unit: m.ucum,
  })),
  {
    code: 'success-rate',
    display: 'Success rate',
    definition: 'Hits as a percentage of trials in the session.',
    unit: '%',
  },
  {
    code: 'difficulty-level',
    display: 'Difficulty level at session end',
    definition:
      'Adaptive difficulty level (0 = therapist easiest, 100 = hardest) after the last trial.',
    unit: '1',
  },
  {
    code: 'difficulty-level-start',
    display: 'Difficulty level at session start',
    definition: 'Adaptive difficulty level before the first trial (component).',
    unit: '1',
  },
  {
    code: 'sd',
    display: 'Standard deviation',
    definition: 'Sample standard deviation (n - 1) over valid trials (component).',
    unit: null,
  },
  {
    code: 'median',
    display: 'Median',
    definition: 'Median over valid trials (component).',
    unit: null,
  },
  {
    code: 'n-trials',
    display: 'Number of trials',
    definition: 'Number of trials the value is computed from (component).',
    unit: '1',
  },
];

const codeInfo = new Map(FHIR_CODES.map((c) => [c.code, c]));
function concept(code: string) {
  const c = codeInfo.get(code)!;
  return { coding: [{ system: REACH_CODE_SYSTEM, code, display: c.display }], text: c.display };
}
const quantity = (value: number, ucum: string) => ({
  value,
  unit: ucum,
  system: UCUM_SYSTEM,
  code: ucum,
});

export type FhirOptions = {
  /** Base of absolute fullUrls (e.g. https://clinic.example/fhir); omitted when not given. */
  baseUrl?: string;
  /** Identifier system of the pseudonymous patient code. */
  patientIdentifierSystem?: string;
  /** Name and version of the app, put in Observation.device (a Device is not a valid performer). */
  deviceName?: string;
  /** Bundle.timestamp; defaults to the session end. */
  timestamp?: string;
};

export type FhirQuantity = { value: number; unit: string; system: string; code: string };
export type FhirCodeableConcept = {
  coding: { system: string; code: string; display?: string }[];
  text?: string;
};
export type FhirObservation = {
  resourceType: 'Observation';
  id: string;
  status: 'final' | 'preliminary';
  category: FhirCodeableConcept[];
  code: FhirCodeableConcept;
  subject: { type: 'Patient'; identifier: { system: string; value: string } };
  effectivePeriod: { start: string; end?: string };
  issued: string;
  performer: { reference: string; type: 'Practitioner'; display?: string }[];
  device: { display: string };
  valueQuantity: FhirQuantity;
  method: { text: string };
  bodySite: { text: string };
  component: { code: FhirCodeableConcept; valueQuantity: FhirQuantity }[];
  /** Tracking quality of the session's trials, when any trial carries a tracking flag. */
  note?: { text: string }[];
};
export type FhirBundle = {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: string;
  entry: { fullUrl?: string; resource: FhirObservation }[];
};

const PIPELINE =
  'natural cubic spline resampling, zero-phase 2nd-order Butterworth 6 Hz, central-difference ' +
  'velocity, onset/offset at 5 % of peak speed';
const METHOD: Record<string, string> = {
  sparc: 'spectral arc length (Balasubramanian et al. 2015), fc 10 Hz, threshold 0.05, padlevel 4',
  ldlj: 'log dimensionless jerk (Balasubramanian et al. 2015)',
  'success-rate': 'hit = target reached within the time limit; weighted up-down difficulty',
  'difficulty-level': 'weighted up-down (Kaernbach 1991) on one level 0-100',
};

function safeId(s: string): string {
  return s.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64);
}

/**
 * HL7 FHIR R4 Bundle (collection) of one Observation per metric for a session (spec part C):
 * value = mean over valid trials, with SD, median and number of trials as components.
 * Metrics without any valid trial are left out rather than reported as absent.
 */
export function sessionToFhirBundle(
  session: SessionRecord,
  trials: readonly TrialRecord[],
  opts: FhirOptions = {},
): FhirBundle {
  const summary = summarizeSession(trials);
  const armText =
    session.arm === 'alternate' ? 'left and right arm (alternating)' : `${session.arm} arm`;
  // A session not ended yet is reported as preliminary, with an open period.
  const issuedAt = session.endedAt ?? trials.at(-1)?.endedAt ?? session.startedAt;
  const base = {
    status: session.endedAt === null ? ('preliminary' as const) : ('final' as const),
    category: [
      {
        coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'therapy', display: 'Therapy' }],
        text: 'Therapy',
      },
    ],
    subject: {
      type: 'Patient' as const,
      identifier: {
        system: opts.patientIdentifierSystem ?? 'https://reach.example/fhir/patient-code',
        value: session.patientCode,
      },
    },
    effectivePeriod:
      session.endedAt === null
        ? { start: session.startedAt }
        : { start: session.startedAt, end: session.endedAt },
    issued: opts.timestamp ?? issuedAt,
    performer: [
      {
        reference: `Practitioner/${safeId(session.practitionerId)}`,
        type: 'Practitioner' as const,
        ...(session.practitionerName ? { display: session.practitionerName } : {}),
      },
    ],
    device: { display: opts.deviceName ?? 'Reach VR rehabilitation (browser)' },
    bodySite: { text: armText },
  };
  const trackingNote = trackingQualityNote(trials);
  const obs: FhirObservation[] = [];
  const make = (
    code: string,
    value: FhirQuantity,
    components: FhirObservation['component'],
  ): FhirObservation => ({
    resourceType: 'Observation',
    id: safeId(`${session.sessionId}-${code}`),
    ...base,
    code: concept(code),
    valueQuantity: value,
    method: {
      text: `Reach clinical core, specification v${SPEC_VERSION}: ${METHOD[code] ?? PIPELINE}; session mean over valid trials.`,
    },
    component: components,
    ...(trackingNote ? { note: [{ text: trackingNote }] } : {}),
  });
  const nComp = (n: number) => ({ code: concept('n-trials'), valueQuantity: quantity(n, '1') });

  if (summary.trials > 0) {
    obs.push(
      make('success-rate', quantity(100 * summary.successRate!, '%'), [nComp(summary.trials)]),
    );
    obs.push(
      make('difficulty-level', quantity(summary.levelEnd!, '1'), [
        {
          code: concept('difficulty-level-start'),
          valueQuantity: quantity(summary.levelStart!, '1'),
        },
        nComp(summary.trials),
      ]),
    );
  }
  for (const m of METRIC_INFO) {
    const st = summary.metrics[m.key];
    if (st.n === 0 || st.mean === null) continue;
    const comps: FhirObservation['component'] = [];
    if (st.sd !== null) comps.push({ code: concept('sd'), valueQuantity: quantity(st.sd, m.ucum) });
    if (st.median !== null)
      comps.push({ code: concept('median'), valueQuantity: quantity(st.median, m.ucum) });
    comps.push(nComp(st.n));
    obs.push(make(m.code, quantity(st.mean, m.ucum), comps));
  }
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: opts.timestamp ?? issuedAt,
    entry: obs.map((o) => ({
      ...(opts.baseUrl
        ? { fullUrl: `${opts.baseUrl.replace(/\/$/, '')}/Observation/${o.id}` }
        : {}),
      resource: o,
    })),
  };
}
