import { describe, expect, it } from 'vitest';
import type { SessionExportRecord, TrialRecord } from '../../../shared/clinical/index';
import {
  BASELINE_FLAG_CODES,
  baselineFlagCodes,
  computeReachMetrics,
  csvField,
  FHIR_CODES,
  GAME_WORLD_EXTENSION_URL,
  isSessionObservation,
  METRIC_BETTER,
  METRIC_INFO,
  REACH_CODE_SYSTEM,
  SESSION_CSV_COLUMNS,
  sessionArmRows,
  sessionsToCsv,
  sessionToFhirBundle,
  summarizeSession,
  TRIAL_CSV_COLUMNS,
  trackingQualityNote,
  trialsToCsv,
  updateDifficulty,
} from '../../../shared/clinical/index';
import { reachMetricsSchema } from '../../../shared/protocol/trial';
import { mj100 } from './helpers';
import { taskText } from '../../../client/therapist/ui/task-text';

/** Minimal RFC 4180 parser, to check the CSV round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        f += '"';
        i++;
      } else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(f);
      f = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(f);
      rows.push(row);
      row = [];
      f = '';
      i++;
    } else f += c;
  }
  return rows;
}

const metrics = computeReachMetrics(mj100());
const u1 = updateDifficulty(50, { reached: true, tContact: 2.1 }, undefined, { trialNumber: 1 });
const u2 = updateDifficulty(52, { reached: false, tContact: null }, undefined, { trialNumber: 2 });
const trials: TrialRecord[] = [
  {
    sessionId: 's-1',
    patientCode: 'P,"007"',
    arm: 'right',
    trialNumber: 1,
    task: 'touch',
    set: 1,
    levelBefore: 50,
    levelAfter: u1.level,
    params: u1.paramsBefore,
    target: [0.28, 1.2, 0.44],
    outcome: u1.outcome,
    tContact: 2.1,
    metrics,
    flags: ['late\nnote'],
    reason: u1.reason,
    startedAt: '2025-03-01T10:00:00+01:00',
    endedAt: '2025-03-01T10:00:03+01:00',
    inputMode: 'hands',
  },
  {
    sessionId: 's-1',
    patientCode: 'P,"007"',
    arm: 'right',
    trialNumber: 2,
    task: 'touch',
    set: 1,
    levelBefore: 52,
    levelAfter: u2.level,
    params: u2.paramsBefore,
    target: [-0.1, 1.25, 0.4],
    outcome: u2.outcome,
    tContact: null,
    metrics: { ...metrics, sparc: -1.6, reactionTime: null, flags: ['anticipation'] },
    reason: u2.reason,
    startedAt: '2025-03-01T10:00:05+01:00',
    endedAt: '2025-03-01T10:00:09+01:00',
  },
];
const session: SessionExportRecord = {
  sessionId: 's-1',
  patientCode: 'P,"007"',
  arm: 'right',
  startedAt: '2025-03-01T10:00:00+01:00',
  endedAt: '2025-03-01T10:20:00+01:00',
  endReason: 'plan_complete',
  practitionerId: 'th-42',
  practitionerName: 'A. Therapist',
};

describe('CSV', () => {
  it('escapes commas, quotes and newlines, and guards formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField(null)).toBe('');
    expect(csvField(NaN)).toBe('');
    expect(csvField(-0)).toBe('0');
    expect(csvField(1234.5)).toBe('1234.5');
  });

  it('uses "." decimals and never a thousands separator, whatever the locale', () => {
    for (const v of [0.5, -1234567.891, 1e-7, 6.02e23, 3]) {
      const f = csvField(v);
      expect(f).toMatch(/^-?[0-9]+(\.[0-9]+)?(e[+-][0-9]+)?$/);
      expect(Number(f)).toBe(v);
    }
  });

  it('writes trials.csv with the documented columns, round-tripping every field', () => {
    const csv = trialsToCsv(trials);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(TRIAL_CSV_COLUMNS);
    expect(rows).toHaveLength(3);
    const r = Object.fromEntries(TRIAL_CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(r.patient_code).toBe('P,"007"');
    expect(r.outcome).toBe('hit');
    expect(r.spec_version).toBe('1');
    expect(Number(r.sparc)).toBe(metrics.sparc);
    expect(Number(r.time_limit_s)).toBe(3);
    expect(r.flags).toBe('late\nnote');
    expect(r.reason).toBe(u1.reason);
    expect(r.started_at).toBe('2025-03-01T10:00:00+01:00');
    const r2 = Object.fromEntries(TRIAL_CSV_COLUMNS.map((c, i) => [c, rows[2]![i]]));
    expect(r2.outcome).toBe('miss_not_reached');
    expect(r2.t_contact_s).toBe('');
    expect(r2.reaction_time_s).toBe('');
    expect(r2.flags).toBe('anticipation');
    expect(r.input_mode).toBe('hands');
    expect(r2.input_mode).toBe(''); // a record from before the input was kept
    expect(r.grasp_reach_s).toBe('');
    for (const c of TRIAL_CSV_COLUMNS) expect(c).toMatch(/^[a-z0-9_]+$/);
    expect(TRIAL_CSV_COLUMNS).toContain('peak_speed_m_per_s');
  });

  it('writes sessions.csv with mean/sd/median/n per metric', () => {
    const csv = sessionsToCsv([{ ...session, summary: summarizeSession(trials) }]);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(SESSION_CSV_COLUMNS);
    const r = Object.fromEntries(SESSION_CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(r).toMatchObject({
      trials: '2',
      hits: '1',
      misses: '1',
      miss_not_reached: '1',
      success_rate: '0.5',
      level_start: '50',
      level_end: '46',
    });
    expect(Number(r.sparc_mean)).toBeCloseTo((metrics.sparc! - 1.6) / 2, 12);
    expect(r.sparc_n).toBe('2');
    expect(r.reaction_time_s_n).toBe('1');
    expect(r.reaction_time_s_sd).toBe('');
    expect(r.ended_at).toBe('2025-03-01T10:20:00+01:00');
    expect(r.end_reason).toBe('plan_complete');
    const directed = METRIC_INFO.filter((m) => METRIC_BETTER[m.key] !== null).length;
    expect(SESSION_CSV_COLUMNS.length).toBe(16 + 4 * METRIC_INFO.length + 1 + directed + 1);
  });

  it('ends each sessions.csv row with the world played, empty when not known', () => {
    expect(SESSION_CSV_COLUMNS.at(-1)).toBe('world');
    const summary = summarizeSession(trials);
    const rows = parseCsv(
      sessionsToCsv([
        { ...session, world: 'reef', summary },
        { ...session, world: null, summary },
        { ...session, summary },
      ]),
    );
    expect(rows.slice(1).map((row) => row.at(-1))).toEqual(['reef', '', '']);
    expect(rows.slice(1).map((row) => row.length)).toEqual(
      Array(3).fill(SESSION_CSV_COLUMNS.length),
    );
  });

  it('writes one sessions.csv row per arm, with the asymmetry on the affected arm only', () => {
    const left = trials.map((t) => ({ ...t, arm: 'left' as const }));
    const slower = {
      ...trials[0]!,
      trialNumber: 3,
      metrics: { ...metrics, movementTime: 3, sparc: null },
    };
    const both = [...trials, ...left.map((t) => ({ ...t, trialNumber: t.trialNumber + 10 }))];
    const rows = sessionArmRows({ ...session, arm: 'alternate', affectedArm: 'right' }, [
      ...both,
      slower,
    ]);
    expect(rows.map((r) => [r.arm, r.armRole, r.summary.trials])).toEqual([
      ['left', 'less_affected', 2],
      ['right', 'affected', 3],
    ]);
    const csv = parseCsv(sessionsToCsv(rows));
    const [l, r] = csv
      .slice(1)
      .map((row) => Object.fromEntries(SESSION_CSV_COLUMNS.map((c, i) => [c, row[i]])));
    // right: movement times mt, mt and 3 s; left: mt twice
    const mt = metrics.movementTime!;
    const a = (2 * mt + 3) / 3;
    expect(Number(r!.movement_time_s_mean)).toBeCloseTo(a, 12);
    expect(Number(l!.movement_time_s_mean)).toBeCloseTo(mt, 12);
    expect(Number(r!.movement_time_s_asymmetry_pct)).toBeCloseTo((100 * (a - mt)) / (a + mt), 10);
    expect(l!.movement_time_s_asymmetry_pct).toBe('');
    // the same SPARC on both arms: symmetric, 0 (not -0, not empty)
    expect(r!.sparc_asymmetry_pct).toBe('0');
    // measures without a better direction have no asymmetry column at all
    expect(SESSION_CSV_COLUMNS).not.toContain('time_to_peak_pct_asymmetry_pct');
    for (const row of csv.slice(1)) expect(row.join(',')).not.toMatch(/NaN|Infinity/);
  });

  it('gives a session without trials one row for its own arm, and no role without an affected arm', () => {
    const [only] = sessionArmRows({ ...session, arm: 'alternate', affectedArm: 'left' }, []);
    expect([only!.arm, only!.armRole, only!.summary.trials]).toEqual(['left', 'affected', 0]);
    const [unknown] = sessionArmRows(session, trials);
    expect([unknown!.arm, unknown!.armRole, unknown!.asymmetry]).toEqual(['right', null, null]);
  });

  it('leaves ended_at and end_reason empty for a session that never ended', () => {
    const open = { ...session, endedAt: null, endReason: null };
    const rows = parseCsv(sessionsToCsv([{ ...open, summary: summarizeSession(trials) }]));
    const r = Object.fromEntries(SESSION_CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect([r.started_at, r.ended_at, r.end_reason]).toEqual(['2025-03-01T10:00:00+01:00', '', '']);
  });
});

describe('FHIR R4 bundle', () => {
  it('reports a session that never ended as preliminary, with an open period', () => {
    const open = sessionToFhirBundle({ ...session, endedAt: null, endReason: null }, trials);
    expect(open.timestamp).toBe('2025-03-01T10:00:09+01:00');
    for (const { resource } of open.entry) {
      expect(resource.status).toBe('preliminary');
      if (isSessionObservation(resource))
        expect(resource.effectivePeriod).toEqual({ start: session.startedAt });
      else expect(resource.effectivePeriod.end).toBeDefined(); // a trial's own period
    }
  });

  const bundle = sessionToFhirBundle(session, trials, {
    baseUrl: 'https://clinic.example/fhir/',
    deviceName: 'Reach 0.1.0',
  });
  const all = bundle.entry.map((e) => e.resource);
  const obs = all.filter(isSessionObservation);
  const perTrial = all.filter((o) => !isSessionObservation(o));
  const byCode = (c: string) => obs.find((o) => o.code.coding[0]!.code === c)!;

  it('is a collection of final therapy Observations', () => {
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('collection');
    expect(bundle.timestamp).toBe(session.endedAt);
    expect(obs.length).toBeGreaterThan(10);
    for (const o of obs) {
      expect(o.resourceType).toBe('Observation');
      expect(o.status).toBe('final');
      expect(o.category[0]!.coding[0]).toMatchObject({
        system: 'http://terminology.hl7.org/CodeSystem/observation-category',
        code: 'therapy',
      });
      expect(o.code.coding[0]!.system).toBe(REACH_CODE_SYSTEM);
      expect(o.subject).toMatchObject({ type: 'Patient', identifier: { value: 'P,"007"' } });
      expect(o.effectivePeriod).toEqual({ start: session.startedAt, end: session.endedAt });
      expect(o.performer).toEqual([
        { reference: 'Practitioner/th-42', type: 'Practitioner', display: 'A. Therapist' },
      ]);
      expect(o.device).toEqual({ display: 'Reach 0.1.0' });
      expect(o.bodySite).toEqual({ text: 'right arm' });
      expect(o.method.text).toContain('specification v1');
      expect(o.valueQuantity.system).toBe('http://unitsofmeasure.org');
      expect(['s', 'm', 'm/s', '%', '1', 'm/s3']).toContain(o.valueQuantity.code);
      expect(o.id).toMatch(/^[A-Za-z0-9.-]{1,64}$/);
    }
    expect(new Set(obs.map((o) => o.id)).size).toBe(obs.length);
    expect(bundle.entry[0]!.fullUrl).toBe(`https://clinic.example/fhir/Observation/${obs[0]!.id}`);
  });

  it('puts the mean in value and SD, median and n in components, with UCUM units', () => {
    const sp = byCode('sparc');
    expect(sp.valueQuantity).toEqual({
      value: (metrics.sparc! - 1.6) / 2,
      unit: '1',
      system: 'http://unitsofmeasure.org',
      code: '1',
    });
    const comp = Object.fromEntries(
      sp.component.map((c) => [c.code.coding[0]!.code, c.valueQuantity]),
    );
    expect(comp.sd!.value).toBeCloseTo(Math.abs(metrics.sparc! + 1.6) / Math.SQRT2, 12);
    expect(comp['n-trials']!.value).toBe(2);
    expect(comp.median).toBeDefined();
    const rt = byCode('reaction-time');
    expect(rt.valueQuantity.code).toBe('s');
    expect(rt.component.map((c) => c.code.coding[0]!.code)).toEqual(['median', 'n-trials']);
    expect(byCode('peak-speed').valueQuantity.unit).toBe('m/s');
    expect(byCode('success-rate').valueQuantity).toMatchObject({ value: 50, code: '%' });
    expect(byCode('difficulty-level').valueQuantity.value).toBe(46);
  });

  it('documents every code it uses', () => {
    const codes = new Set(FHIR_CODES.map((c) => c.code));
    for (const o of all) {
      expect(codes.has(o.code.coding[0]!.code)).toBe(true);
      for (const c of o.component) {
        expect(codes.has(c.code.coding[0]!.code)).toBe(true);
        if ('valueCodeableConcept' in c)
          expect(codes.has(c.valueCodeableConcept.coding[0]!.code)).toBe(true);
      }
      if ('valueCodeableConcept' in o)
        expect(codes.has(o.valueCodeableConcept.coding[0]!.code)).toBe(true);
    }
    for (const c of FHIR_CODES) expect(c.definition.length).toBeGreaterThan(20);
  });

  it('names the world of the session on each session Observation (extension), and only there', () => {
    const b = sessionToFhirBundle({ ...session, world: 'lantern' }, trials);
    const sessionLevel = b.entry.map((e) => e.resource).filter(isSessionObservation);
    expect(sessionLevel.length).toBeGreaterThan(2);
    for (const o of sessionLevel)
      expect(o.extension).toEqual([
        {
          url: 'https://reach.example/fhir/StructureDefinition/game-world',
          valueCoding: {
            system: REACH_CODE_SYSTEM,
            code: 'lantern',
            display: 'Lantern festival at dusk',
          },
        },
      ]);
    expect(GAME_WORLD_EXTENSION_URL).toBe(
      'https://reach.example/fhir/StructureDefinition/game-world',
    );
    const perTrial = b.entry.map((e) => e.resource).filter((o) => !isSessionObservation(o));
    expect(perTrial.every((o) => !('extension' in o))).toBe(true);
    expect(FHIR_CODES.find((c) => c.code === 'lantern')?.display).toBe('Lantern festival at dusk');
    // Not known (recorded before worlds), or not a world: no extension at all.
    for (const world of [null, undefined, 'task'])
      for (const e of sessionToFhirBundle({ ...session, world }, trials).entry)
        expect('extension' in e.resource).toBe(false);
  });

  it('names each task code as the dashboard names the task', () => {
    const display = (code: string) => FHIR_CODES.find((c) => c.code === code)?.display;
    expect(['touch', 'hold', 'grasp'].map(display)).toEqual([
      'Reach and touch',
      'Reach and hold',
      'Grasp and place',
    ]);
    for (const task of ['touch', 'hold', 'grasp'] as const)
      expect(display(task)).toBe(taskText(task));
  });

  it('names the arm of each session Observation and omits metrics without valid trials', () => {
    const b = sessionToFhirBundle({ ...session, arm: 'alternate' }, [
      { ...trials[0]!, metrics: null },
    ]);
    expect(b.entry[0]!.resource.bodySite.text).toBe('right arm');
    expect(b.entry.map((e) => e.resource.code.coding[0]!.code)).toEqual([
      'success-rate',
      'difficulty-level',
      'reach-trial',
    ]);
    expect(b.entry[0]!.fullUrl).toBeUndefined();
  });

  it('splits the session Observations by arm, with the asymmetry index on the affected arm', () => {
    const left = trials.map((t) => ({
      ...t,
      arm: 'left' as const,
      trialNumber: t.trialNumber + 2,
    }));
    const slowLeft = left.map((t) =>
      t.metrics
        ? { ...t, metrics: { ...t.metrics, movementTime: t.metrics.movementTime! * 2 } }
        : t,
    );
    const b = sessionToFhirBundle({ ...session, arm: 'alternate', affectedArm: 'left' }, [
      ...trials,
      ...slowLeft,
    ]);
    const sessionObs = b.entry.map((e) => e.resource).filter(isSessionObservation);
    const mt = (arm: string) => sessionObs.find((o) => o.id === `s-1-${arm}-movement-time`)!;
    expect(mt('left').bodySite).toEqual({ text: 'left arm' });
    expect(mt('right').bodySite).toEqual({ text: 'right arm' });
    expect(mt('left').valueQuantity.value).toBeCloseTo(2 * mt('right').valueQuantity.value, 12);
    const index = (o: (typeof sessionObs)[number]) =>
      o.component.find((c) => c.code.coding[0]!.code === 'asymmetry-index')?.valueQuantity;
    // affected twice as slow: 100 * (2m - m) / 3m
    expect(index(mt('left'))).toMatchObject({ code: '%' });
    expect(index(mt('left'))!.value).toBeCloseTo(100 / 3, 10);
    expect(index(mt('right'))).toBeUndefined();
    // equal SPARC on both arms: an index of 0 is still reported
    expect(index(sessionObs.find((o) => o.id === 's-1-left-sparc')!)!.value).toBe(0);
    expect(sessionObs.filter((o) => o.code.coding[0]!.code === 'success-rate')).toHaveLength(2);
    expect(new Set(sessionObs.map((o) => o.id)).size).toBe(sessionObs.length);
  });

  it('carries every trial as its own Observation: outcome, context and each valid measure', () => {
    expect(perTrial.map((o) => o.id)).toEqual(['s-1-trial-1', 's-1-trial-2']);
    const first = perTrial[0]!;
    if (isSessionObservation(first)) throw new Error('expected a trial Observation');
    expect(first.effectivePeriod).toEqual({
      start: '2025-03-01T10:00:00+01:00',
      end: '2025-03-01T10:00:03+01:00',
    });
    expect(first.bodySite).toEqual({ text: 'right arm' });
    expect(first.valueCodeableConcept.coding[0]).toEqual({
      system: REACH_CODE_SYSTEM,
      code: 'hit',
      display: 'Hit',
    });
    expect(first.note[0]).toEqual({ text: u1.reason });
    const values = Object.fromEntries(
      first.component.map((c) => [
        c.code.coding[0]!.code,
        'valueQuantity' in c ? c.valueQuantity.value : c.valueCodeableConcept.coding[0]!.code,
      ]),
    );
    expect(values).toMatchObject({
      'trial-number': 1,
      task: 'touch',
      'input-mode': 'hands',
      'difficulty-level-start': 50,
      'difficulty-level': 52,
      'time-limit': 3,
      'contact-time': 2.1,
      sparc: metrics.sparc,
      'peak-speed': metrics.peakSpeed,
    });
    // The miss: no contact time, no reaction time (anticipation), and its own SPARC.
    const second = perTrial[1]!;
    if (isSessionObservation(second)) throw new Error('expected a trial Observation');
    expect(second.valueCodeableConcept.coding[0]!.code).toBe('miss-not-reached');
    const codes = second.component.map((c) => c.code.coding[0]!.code);
    expect(codes).not.toContain('contact-time');
    expect(codes).not.toContain('reaction-time');
    expect(codes).not.toContain('input-mode'); // not recorded for this (older) trial
    const sparc = second.component.find((c) => c.code.coding[0]!.code === 'sparc')!;
    expect('valueQuantity' in sparc && sparc.valueQuantity.value).toBe(-1.6);
  });

  it('adds the grasp phases of a grasp trial, and can leave trials out', () => {
    const grasp: TrialRecord = {
      ...trials[0]!,
      task: 'grasp',
      graspPhases: { reachS: 0.8, acquireS: 0.95, transportS: 1.25, releaseS: null, drops: 1 },
    };
    const o = sessionToFhirBundle(session, [grasp]).entry.at(-1)!.resource;
    const values = Object.fromEntries(
      o.component.map((c) => [
        c.code.coding[0]!.code,
        'valueQuantity' in c ? c.valueQuantity.value : c.valueCodeableConcept.coding[0]!.code,
      ]),
    );
    expect(values).toMatchObject({
      task: 'grasp',
      'grasp-reach': 0.8,
      'grasp-acquire': 0.95,
      'grasp-transport': 1.25,
      'grasp-drops': 1,
    });
    expect(values['grasp-release']).toBeUndefined();
    const rows = parseCsv(trialsToCsv([grasp]));
    const r = Object.fromEntries(TRIAL_CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(r).toMatchObject({
      grasp_reach_s: '0.8',
      grasp_acquire_s: '0.95',
      grasp_transport_s: '1.25',
      grasp_release_s: '',
      grasp_drops: '1',
    });
    const sessionOnly = sessionToFhirBundle(session, trials, { perTrial: false });
    expect(sessionOnly.entry.every((e) => isSessionObservation(e.resource))).toBe(true);
  });
});

describe('tracking flags travel to the records', () => {
  const glitched = computeReachMetrics({
    ...mj100(),
    hand: mj100().hand.map((p, i) => (i === 100 ? ([p[0] + 1, p[1], p[2]] as typeof p) : p)),
  });
  const flaggedTrials: TrialRecord[] = [
    { ...trials[0]!, flags: [], metrics: glitched },
    { ...trials[1]!, metrics: { ...metrics, flags: ['time_discontinuity', 'truncated'] } },
    { ...trials[0]!, trialNumber: 3, flags: [], metrics },
  ];

  it('the wire schema accepts the new flags and still accepts old records', () => {
    expect(glitched.flags).toEqual(['tracking_glitch']);
    expect(reachMetricsSchema.safeParse(glitched).success).toBe(true);
    expect(
      reachMetricsSchema.safeParse({ ...metrics, flags: ['tracking_loss', 'too_short'] }).success,
    ).toBe(true);
  });

  it('trials.csv carries them in the flags column', () => {
    const rows = parseCsv(trialsToCsv(flaggedTrials));
    const col = TRIAL_CSV_COLUMNS.indexOf('flags');
    expect(rows.slice(1).map((r) => r[col])).toEqual([
      'tracking_glitch',
      'time_discontinuity;truncated',
      '',
    ]);
  });

  it('every FHIR Observation notes how many trials had tracking flags, and only then', () => {
    const bundle = sessionToFhirBundle(session, flaggedTrials);
    const text =
      'Tracking: 2 of 3 trials flagged (tracking_glitch 1, time_discontinuity 1); impossible samples were removed and untrustworthy values left out of the means.';
    expect(bundle.entry.length).toBeGreaterThan(0);
    const means = bundle.entry.map((e) => e.resource).filter(isSessionObservation);
    for (const o of means) expect(o.note).toEqual([{ text }]);
    expect(trackingQualityNote(flaggedTrials)).toBe(text);
    for (const o of sessionToFhirBundle(session, trials).entry.map((e) => e.resource))
      if (isSessionObservation(o)) expect(o.note).toBeUndefined();
    // Each trial's own Observation names its own flags after the rule's reason.
    const perTrial = bundle.entry.map((e) => e.resource).filter((o) => !isSessionObservation(o));
    expect(perTrial.filter((o) => o.note!.length === 2)).toHaveLength(2);
  });
});

describe("flags against the patient's own baseline travel to the records", () => {
  const slow =
    'movement time 3.00 s; this patient’s usual for ahead-middle is 0.90 s, range 0.85 to 0.95 s: slower than almost all of their reaches';
  const jerky =
    'smoothness (SPARC) -2.40; this patient’s usual for ahead-middle is -1.50, range -1.60 to -1.45: less smooth than almost all of their reaches';
  const tired =
    'Signs of fatigue (touch, right arm): movement time up 40 %. A rest or a shorter session may help.';
  const flagged: TrialRecord[] = [
    {
      ...trials[0]!,
      baselineFlags: {
        flags: [
          { measure: 'movementTime', modifiedZ: 47.2, text: slow },
          { measure: 'sparc', modifiedZ: -6.1, text: jerky },
        ],
      },
    },
    { ...trials[1]!, baselineFlags: { flags: [], fatigue: tired } },
    { ...trials[0]!, trialNumber: 3, baselineFlags: null },
  ];

  it('gives each flag a stable code: the measure and the side of the usual range, then fatigue', () => {
    expect(baselineFlagCodes(flagged[0]!.baselineFlags)).toEqual([
      { code: 'movement_time_high', text: slow },
      { code: 'sparc_low', text: jerky },
    ]);
    expect(baselineFlagCodes(flagged[1]!.baselineFlags)).toEqual([
      { code: 'fatigue', text: tired },
    ]);
    expect(baselineFlagCodes(undefined)).toEqual([]);
    expect(BASELINE_FLAG_CODES).toEqual([
      'movement_time_high',
      'movement_time_low',
      'reaction_time_high',
      'reaction_time_low',
      'peak_speed_high',
      'peak_speed_low',
      'sparc_high',
      'sparc_low',
      'path_ratio_high',
      'path_ratio_low',
      'trunk_ratio_high',
      'trunk_ratio_low',
      'fatigue',
    ]);
  });

  it("trials.csv carries them in its last column, baseline_flags, separated by ';'", () => {
    const rows = parseCsv(trialsToCsv(flagged));
    expect(TRIAL_CSV_COLUMNS.at(-1)).toBe('baseline_flags');
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual([
      'movement_time_high;sparc_low',
      'fatigue',
      '',
    ]);
    // The other trials' exports are unchanged but for the empty last cell.
    expect(
      parseCsv(trialsToCsv(trials))
        .slice(1)
        .map((r) => r.at(-1)),
    ).toEqual(['', '']);
  });

  it('each trial Observation carries one coded baseline-flag component per flag, with its explanation', () => {
    const bundle = sessionToFhirBundle(session, flagged);
    const perTrial = bundle.entry.map((e) => e.resource).filter((o) => !isSessionObservation(o));
    const flagComponents = perTrial.map((o) =>
      o.component
        .filter((c) => c.code.coding[0]!.code === 'baseline-flag')
        .map((c) => ('valueCodeableConcept' in c ? c.valueCodeableConcept : null)),
    );
    expect(flagComponents).toEqual([
      [
        {
          coding: [
            {
              system: REACH_CODE_SYSTEM,
              code: 'movement-time-high',
              display: 'Movement time: high',
            },
          ],
          text: slow,
        },
        {
          coding: [
            {
              system: REACH_CODE_SYSTEM,
              code: 'sparc-low',
              display: 'Smoothness (SPARC): low',
            },
          ],
          text: jerky,
        },
      ],
      [
        {
          coding: [{ system: REACH_CODE_SYSTEM, code: 'fatigue', display: 'Signs of fatigue' }],
          text: tired,
        },
      ],
      [],
    ]);
    // Every code is one of the product's documented codes.
    const codes = new Set(FHIR_CODES.map((c) => c.code));
    for (const code of BASELINE_FLAG_CODES) expect(codes.has(code.replace(/_/g, '-'))).toBe(true);
    expect(codes.has('baseline-flag')).toBe(true);
  });
});
