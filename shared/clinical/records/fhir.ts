import { armAsymmetry, armsPlayed, summarizeByArm } from '../arms';
import { METRIC_INFO } from '../metric-info';
import { SPEC_VERSION } from '../version';
import { BASELINE_FLAG_CODES, baselineFlagCodes, FATIGUE_FLAG_CODE } from './baseline-flags';
import { trackingQualityNote } from './flags';
import { TASK_LABELS } from '../types';
import { PLAYED_WORLD_NAMES, playedWorldSchema } from '../../protocol/primitives';
import type { SessionExportRecord, TrialRecord } from './types';

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
    code: 'asymmetry-index',
    display: 'Asymmetry index',
    definition:
      'Affected arm against the less-affected arm for this measure, in percent: 100 * d * (A - L) / (|A| + |L|) with d = +1 where lower is better and -1 where higher is better; positive = the affected arm does worse (component, on the affected arm, when both arms played).',
    unit: '%',
  },
  {
    code: 'n-trials',
    display: 'Number of trials',
    definition: 'Number of trials the value is computed from (component).',
    unit: '1',
  },
  ...TRIAL_CODES(),
  ...BASELINE_FLAG_FHIR_CODES(),
  ...WORLD_CODES(),
];

/** The extension on each session Observation naming the world the session was played in. */
export const GAME_WORLD_EXTENSION_URL = 'https://reach.example/fhir/StructureDefinition/game-world';

/** Codes of the game world (valueCoding of the game-world extension): a theme, never clinical. */
function WORLD_CODES(): FhirCode[] {
  return playedWorldSchema.options.map((code) => {
    const display = PLAYED_WORLD_NAMES[code];
    return {
      code,
      display,
      definition: `Game world: ${display.toLowerCase()}. The world the session was played in (extension game-world on the session Observations); the tasks, targets and every measure are the same in every world.`,
      unit: null,
    };
  });
}
const worldInfo = new Map(WORLD_CODES().map((c) => [c.code, c]));

/** A code of trials.csv's `baseline_flags` as a FHIR code: `_` written `-`, as the outcomes are. */
function fhirFlagCode(code: string): string {
  return code.replace(/_/g, '-');
}

/**
 * Codes of the per-trial `baseline-flag` component: what the server found about the trial against
 * the patient's own baseline (the modified z-score rule of docs/clinical-core.md), one component
 * per flag, its explanation as the value's text.
 */
function BASELINE_FLAG_FHIR_CODES(): FhirCode[] {
  // Here, not beside: FHIR_CODES is built (above) before the module's later constants exist.
  const measureNames: Record<string, string> = {
    movement_time: 'Movement time',
    reaction_time: 'Reaction time',
    peak_speed: 'Peak hand speed',
    sparc: 'Smoothness (SPARC)',
    path_ratio: 'Path length ratio',
    trunk_ratio: 'Trunk compensation ratio',
  };
  const flagCodes = BASELINE_FLAG_CODES.filter((c) => c !== FATIGUE_FLAG_CODE).map((code) => {
    const high = code.endsWith('_high');
    const measure = measureNames[code.slice(0, code.lastIndexOf('_'))]!;
    return {
      code: fhirFlagCode(code),
      display: `${measure}: ${high ? 'high' : 'low'}`,
      definition: `Baseline flag: ${high ? 'above' : 'below'} almost all of this patient's last comparable trials (same task, arm, sector; modified z ${high ? '> 3.5' : '< -3.5'}).`,
      unit: null,
    };
  });
  return [
    {
      code: 'baseline-flag',
      display: 'Unusual for this patient',
      definition:
        "What the live check found against the patient's own baseline (component, coded; its text the explanation shown). One per flag.",
      unit: null,
    },
    ...flagCodes,
    {
      code: fhirFlagCode(FATIGUE_FLAG_CODE),
      display: 'Signs of fatigue',
      definition:
        "Baseline flag: the session's signs of fatigue were found with this trial (once per session).",
      unit: null,
    },
  ];
}

/** Codes of the per-trial Observations: the trial itself, its context and its measures. */
function TRIAL_CODES(): FhirCode[] {
  const c = (code: string, display: string, definition: string, unit: string | null) => ({
    code,
    display,
    definition,
    unit,
  });
  return [
    c(
      'reach-trial',
      'Reach trial',
      'One trial of the game: value = its outcome; components = its context and every valid measure (per-trial values, not means).',
      null,
    ),
    c('hit', 'Hit', 'Outcome: the target was reached within the time limit.', null),
    c(
      'miss-not-reached',
      'Miss: not reached',
      'Outcome: the target was not reached within the time limit.',
      null,
    ),
    c(
      'miss-too-slow',
      'Miss: too slow',
      'Outcome: the target was reached, but after the time limit.',
      null,
    ),
    c(
      'trial-number',
      'Trial number',
      'Number of the trial within the session, from 1 (component).',
      '1',
    ),
    c('task', 'Task', 'Task of the trial: touch, hold or grasp (component, coded).', null),
    c('touch', TASK_LABELS.touch, 'Task: touch the target once.', null),
    c('hold', TASK_LABELS.hold, 'Task: keep the hand inside the target for the dwell time.', null),
    c('grasp', TASK_LABELS.grasp, 'Task: pick up the object and carry it into the goal.', null),
    c(
      'input-mode',
      'Input',
      'What the patient moved with: controllers or tracked hands (component, coded).',
      null,
    ),
    c(
      'trial-kind',
      'Trial kind',
      'Whether the trial belongs to the standard reach test or to the adaptive game (component, coded).',
      null,
    ),
    c(
      'assessment',
      'Standard reach test',
      'Trial kind: the fixed test at the start of a session (8 directions at 80 % of reach per arm, fixed size and time limit, never adapted), comparable across sessions.',
      null,
    ),
    c(
      'adaptive',
      'Adaptive trial',
      'Trial kind: a trial of the plan, its difficulty set by the adaptive level.',
      null,
    ),
    c('controllers', 'Controllers', 'Input: hand-held controllers.', null),
    c('hands', 'Hands', 'Input: tracked bare hands.', null),
    c(
      'time-limit',
      'Time limit',
      'Time the trial allowed, seconds (for a grasp 2.5 times the reach limit) (component).',
      's',
    ),
    c(
      'contact-time',
      'Contact time',
      'Time from target appearance to contact (grasp: the object entering the goal) (component).',
      's',
    ),
    c(
      'grasp-reach',
      'Grasp: reach',
      'Grasp phase: from the object appearing to the first touch of it (component).',
      's',
    ),
    c(
      'grasp-acquire',
      'Grasp: acquire',
      'Grasp phase: from the first touch to the pick-up that carried the object to the goal (component).',
      's',
    ),
    c(
      'grasp-transport',
      'Grasp: transport',
      'Grasp phase: from that pick-up to the object entering the goal (component).',
      's',
    ),
    c(
      'grasp-release',
      'Grasp: release',
      'Grasp phase: from the object entering the goal to the hand opening (component).',
      's',
    ),
    c(
      'grasp-drops',
      'Grasp: drops',
      'Times the object was let go before it reached the goal (component).',
      '1',
    ),
  ];
}

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
  /** One Observation per trial after the session's (default true). */
  perTrial?: boolean;
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
  /** The world the session was played in (GAME_WORLD_EXTENSION_URL), when known. */
  extension?: {
    url: string;
    valueCoding: { system: string; code: string; display: string };
  }[];
};
/** One trial: the outcome as value, its context and measures as components. */
export type FhirTrialObservation = Omit<
  FhirObservation,
  'valueQuantity' | 'component' | 'extension'
> & {
  valueCodeableConcept: FhirCodeableConcept;
  note: { text: string }[];
  component: (
    | { code: FhirCodeableConcept; valueQuantity: FhirQuantity }
    | { code: FhirCodeableConcept; valueCodeableConcept: FhirCodeableConcept }
  )[];
};
export type FhirBundle = {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: string;
  entry: { fullUrl?: string; resource: FhirObservation | FhirTrialObservation }[];
};

/** True for a session-level Observation (a metric's mean), false for a per-trial one. */
export const isSessionObservation = (
  o: FhirObservation | FhirTrialObservation,
): o is FhirObservation => 'valueQuantity' in o;

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
 * HL7 FHIR R4 Bundle (collection) of one Observation per metric and arm for a session (spec part
 * C): value = mean over the arm's valid trials, with SD, median and number of trials as
 * components, `bodySite` the arm. Arms are never pooled; where both played, the affected arm's
 * Observations carry the asymmetry index as a component (when it exists). Metrics without any
 * valid trial are left out rather than reported as absent. Then, unless `perTrial` is false, one
 * Observation per trial (code `reach-trial`, see trialObservation).
 */
export function sessionToFhirBundle(
  session: SessionExportRecord,
  trials: readonly TrialRecord[],
  opts: FhirOptions = {},
): FhirBundle {
  const summaries = summarizeByArm(trials);
  const asymmetry =
    session.affectedArm === undefined ? null : armAsymmetry(summaries, session.affectedArm);
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
  };
  const world = session.world ? worldInfo.get(session.world) : undefined;
  // A theme, not a measure: an extension rather than a component, so every component stays a value.
  const worldExtension = world
    ? {
        extension: [
          {
            url: GAME_WORLD_EXTENSION_URL,
            valueCoding: { system: REACH_CODE_SYSTEM, code: world.code, display: world.display },
          },
        ],
      }
    : {};
  const obs: FhirObservation[] = [];
  const nComp = (n: number) => ({ code: concept('n-trials'), valueQuantity: quantity(n, '1') });
  for (const arm of armsPlayed(summaries)) {
    const summary = summaries[arm]!;
    const trackingNote = trackingQualityNote(trials.filter((t) => t.arm === arm));
    const make = (
      code: string,
      value: FhirQuantity,
      components: FhirObservation['component'],
    ): FhirObservation => ({
      resourceType: 'Observation',
      id: safeId(`${session.sessionId}-${arm}-${code}`),
      ...base,
      bodySite: { text: `${arm} arm` },
      code: concept(code),
      valueQuantity: value,
      method: {
        text: `Reach clinical core, specification v${SPEC_VERSION}: ${METHOD[code] ?? PIPELINE}; session mean over the ${arm} arm's valid trials.`,
      },
      component: components,
      ...(trackingNote ? { note: [{ text: trackingNote }] } : {}),
      ...worldExtension,
    });
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
    for (const m of METRIC_INFO) {
      const st = summary.metrics[m.key];
      if (st.n === 0 || st.mean === null) continue;
      const comps: FhirObservation['component'] = [];
      if (st.sd !== null)
        comps.push({ code: concept('sd'), valueQuantity: quantity(st.sd, m.ucum) });
      if (st.median !== null)
        comps.push({ code: concept('median'), valueQuantity: quantity(st.median, m.ucum) });
      comps.push(nComp(st.n));
      const index = arm === session.affectedArm ? asymmetry?.[m.key].value : null;
      if (index !== null && index !== undefined)
        comps.push({ code: concept('asymmetry-index'), valueQuantity: quantity(index, '%') });
      obs.push(make(m.code, quantity(st.mean, m.ucum), comps));
    }
  }
  const perTrial =
    opts.perTrial === false ? [] : trials.map((t) => trialObservation(t, base, session.sessionId));
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: opts.timestamp ?? issuedAt,
    entry: [...obs, ...perTrial].map((o) => ({
      ...(opts.baseUrl
        ? { fullUrl: `${opts.baseUrl.replace(/\/$/, '')}/Observation/${o.id}` }
        : {}),
      resource: o,
    })),
  };
}

const OUTCOME_CODE: Record<TrialRecord['outcome'], string> = {
  hit: 'hit',
  miss_not_reached: 'miss-not-reached',
  miss_too_slow: 'miss-too-slow',
};

type ObservationBase = Pick<
  FhirObservation,
  'status' | 'category' | 'subject' | 'issued' | 'performer' | 'device'
>;

/**
 * One trial as an Observation: `effectivePeriod` the trial, `bodySite` its arm, the outcome as
 * `valueCodeableConcept`, the difficulty rule's reason (and the trial's flags) as `note`; components: trial number, task,
 * trial kind (`assessment` for the standard reach test, else `adaptive`), input, level before (`difficulty-level-start`) and after (`difficulty-level`), time limit,
 * contact time, every valid reach measure (per-trial value, same codes and units as the session
 * means), for a grasp its phases, and one `baseline-flag` per flag found against the patient's
 * own baseline. An empty measure is left out, never reported as zero.
 */
export function trialObservation(
  trial: TrialRecord,
  base: ObservationBase,
  sessionId: string,
): FhirTrialObservation {
  const q = (code: string, value: number | null | undefined, ucum: string) =>
    value === null || value === undefined || !Number.isFinite(value)
      ? []
      : [{ code: concept(code), valueQuantity: quantity(value, ucum) }];
  const coded = (code: string, value: string) => [
    { code: concept(code), valueCodeableConcept: concept(value) },
  ];
  const m = trial.metrics;
  const g = trial.graspPhases;
  const flags = [...new Set([...(m?.flags ?? []), ...(trial.flags ?? [])])];
  const component: FhirTrialObservation['component'] = [
    ...q('trial-number', trial.trialNumber, '1'),
    ...coded('task', trial.task),
    ...coded('trial-kind', trial.assessment === true ? 'assessment' : 'adaptive'),
    ...(trial.inputMode ? coded('input-mode', trial.inputMode) : []),
    ...q('difficulty-level-start', trial.levelBefore, '1'),
    ...q('difficulty-level', trial.levelAfter, '1'),
    ...q('time-limit', trial.params.timeLimit, 's'),
    ...q('contact-time', trial.tContact, 's'),
    ...(m ? METRIC_INFO.flatMap((info) => q(info.code, m[info.key], info.ucum)) : []),
    ...(g
      ? [
          ...q('grasp-reach', g.reachS, 's'),
          ...q('grasp-acquire', g.acquireS, 's'),
          ...q('grasp-transport', g.transportS, 's'),
          ...q('grasp-release', g.releaseS, 's'),
          ...q('grasp-drops', g.drops, '1'),
        ]
      : []),
    ...baselineFlagCodes(trial.baselineFlags).map((f) => ({
      code: concept('baseline-flag'),
      valueCodeableConcept: { ...concept(fhirFlagCode(f.code)), text: f.text },
    })),
  ];
  return {
    resourceType: 'Observation',
    id: safeId(`${sessionId}-trial-${trial.trialNumber}`),
    ...base,
    effectivePeriod: { start: trial.startedAt, end: trial.endedAt },
    bodySite: { text: `${trial.arm} arm` },
    code: concept('reach-trial'),
    valueCodeableConcept: concept(OUTCOME_CODE[trial.outcome]),
    method: {
      text: `Reach clinical core, specification v${SPEC_VERSION}: ${PIPELINE}; values of this trial.`,
    },
    note: [
      { text: trial.reason },
      ...(flags.length > 0 ? [{ text: `Flags: ${flags.join(', ')}.` }] : []),
    ],
    component,
  };
}
