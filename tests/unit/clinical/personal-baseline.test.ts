import { describe, expect, it } from 'vitest';
import {
  addToBaseline,
  checkAgainstBaseline,
  checkTrials,
  createBaseline,
  createFatigueMonitor,
  detectFatigue,
  fatigueToReport,
  mannKendall,
  type PersonalTrial,
} from '../../../shared/clinical/index';

const trial = (
  metrics: PersonalTrial['metrics'],
  over: Partial<PersonalTrial> = {},
): PersonalTrial => ({
  sessionId: 's',
  task: 'touch',
  arm: 'right',
  sector: 18,
  outcome: 'hit',
  metrics,
  ...over,
});

/** 20 movement times 0.9, 0.95, 1.0, 1.05, 1.1 (x4): median 1.0, MAD 0.05, p10 0.9, p90 1.1. */
const USUAL = Array.from({ length: 20 }, (_, i) => [0.9, 0.95, 1.0, 1.05, 1.1][i % 5]!);

function baselineOf(values: number[], over: Partial<PersonalTrial> = {}) {
  const baseline = createBaseline();
  for (const v of values) addToBaseline(baseline, trial({ movementTime: v }, over));
  return baseline;
}

describe('abnormal trials against the patient’s own baseline', () => {
  it('modified z-score 0.6745 (x - median) / MAD, flagged above 3.5, with the clinician’s sentence', () => {
    const check = checkAgainstBaseline(baselineOf(USUAL), trial({ movementTime: 2.4 }));
    const mt = check.measures.find((m) => m.measure === 'movementTime')!;
    expect(mt.state).toBe('flag');
    expect(mt.modifiedZ).toBeCloseTo((0.6745 * 1.4) / 0.05, 10);
    expect(mt).toMatchObject({ baselineCount: 20, median: 1 });
    expect(mt.low).toBeCloseTo(0.9, 12);
    expect(mt.high).toBeCloseTo(1.1, 12);
    expect(check.flags).toHaveLength(1);
    expect(check.text).toBe(
      'movement time 2.40 s; this patient’s usual for up-across is 1.00 s, range 0.90 to 1.10 s: slower than almost all of their reaches',
    );
    // Other measures were not measured on the baseline: no baseline for them, never a flag.
    expect(check.measures.find((m) => m.measure === 'sparc')!.state).toBe('no_value');
  });

  it('flags both ways, not at |M| = 3.5 exactly, and not a usual value', () => {
    const base = baselineOf(USUAL);
    const at = (x: number) =>
      checkAgainstBaseline(base, trial({ movementTime: x })).measures.find(
        (m) => m.measure === 'movementTime',
      )!;
    expect(at(1 - (3.6 * 0.05) / 0.6745).state).toBe('flag');
    expect(at(1 - (3.6 * 0.05) / 0.6745).modifiedZ!).toBeLessThan(-3.5);
    expect(at(1 + (3.4 * 0.05) / 0.6745).state).toBe('usual');
    expect(at(1.05).state).toBe('usual');
    expect(checkAgainstBaseline(base, trial({ movementTime: 0.5 })).text).toContain(
      'faster than almost all',
    );
  });

  it('needs 20 comparable trials of the same task, arm and sector; keeps the last 50', () => {
    const short = baselineOf(USUAL.slice(0, 19));
    const check = checkAgainstBaseline(short, trial({ movementTime: 9 }));
    expect(check.state).toBe('no_baseline');
    expect(check.flags).toHaveLength(0);
    expect(check.text).toBe(
      'no baseline yet: 19 comparable trials (touch, right arm, up-across), 20 needed',
    );
    const base = baselineOf(USUAL);
    for (const other of [{ sector: 17 }, { task: 'hold' as const }, { arm: 'left' as const }])
      expect(checkAgainstBaseline(base, trial({ movementTime: 9 }, other)).state).toBe(
        'no_baseline',
      );
    const long = baselineOf([...Array(30).fill(5), ...USUAL, ...USUAL, ...USUAL.slice(0, 10)]);
    expect(long.groups.get('touch|right|18')).toHaveLength(50);
    // The 30 old values of 5 s have left the window: 2.4 s is abnormal against the last 50.
    expect(checkAgainstBaseline(long, trial({ movementTime: 2.4 })).flags).toHaveLength(1);
  });

  it('MAD 0: falls back to 1.253314 x mean absolute deviation; all equal: no spread, no flag, no NaN', () => {
    const mostlyEqual = [...Array(15).fill(1), 1.2, 1.2, 0.8, 0.8, 1.4];
    const check = checkAgainstBaseline(baselineOf(mostlyEqual), trial({ movementTime: 2 }));
    const mt = check.measures.find((m) => m.measure === 'movementTime')!;
    const meanAd = (0.2 * 4 + 0.4) / 20;
    expect(mt.modifiedZ).toBeCloseTo(1 / (1.253314 * meanAd), 10);
    expect(mt.state).toBe('flag');
    const flat = checkAgainstBaseline(baselineOf(Array(20).fill(1)), trial({ movementTime: 3 }));
    const f = flat.measures.find((m) => m.measure === 'movementTime')!;
    expect(f.state).toBe('no_spread');
    expect(f.modifiedZ).toBeNull();
    expect(flat.flags).toHaveLength(0);
    expect(f.text).toBe(
      'movement time 3.00 s: their last 20 comparable values are all 1.00 s, no spread to compare against yet',
    );
  });

  it('bad input: NaN metrics and trials without a sector give a clear state, never NaN', () => {
    const base = baselineOf([...USUAL, NaN, Infinity]);
    const check = checkAgainstBaseline(base, trial({ movementTime: NaN, sparc: null }));
    expect(check.flags).toHaveLength(0);
    expect(JSON.stringify(check)).not.toMatch(/NaN|Infinity/);
    expect(check.measures.find((m) => m.measure === 'movementTime')!.baselineCount).toBe(20);
    const noSector = checkAgainstBaseline(base, trial({ movementTime: 9 }, { sector: null }));
    expect(noSector.state).toBe('no_sector');
    expect(noSector.text).toMatch(/^not enough data/);
    // checkTrials compares each trial with the ones before it only.
    const checks = checkTrials([
      ...USUAL.map((v) => trial({ movementTime: v })),
      trial({ movementTime: 2.4 }),
    ]);
    expect(checks.slice(0, 20).every((c) => c.state === 'no_baseline')).toBe(true);
    expect(checks[20]!.flags).toHaveLength(1);
  });

  it('texts are for the clinician only: no blame words', () => {
    const text = checkAgainstBaseline(baselineOf(USUAL), trial({ movementTime: 2.4 })).text;
    expect(text).not.toMatch(/\b(bad|poor|failed|wrong|lazy|should)\b/i);
  });
});

describe('fatigue within a session (Mann-Kendall)', () => {
  it('S, tie-corrected variance and continuity-corrected z (exact vector)', () => {
    const r = mannKendall([1.0, 1.1, 0.9, 1.2, 1.3, 1.2, 1.5, 1.4, 1.6, 1.8, 1.7, 2.0]);
    expect(r.s).toBe(55);
    expect(r.variance).toBeCloseTo(635 / 3, 10);
    expect(r.z).toBeCloseTo(54 / Math.sqrt(635 / 3), 12);
    expect(mannKendall([1, 1, 1, 1]).z).toBe(0);
  });

  it('rising movement time is fatigue, reported once; a steady session is not; too few trials: not enough data', () => {
    const rising = [1.0, 1.1, 0.9, 1.2, 1.3, 1.2, 1.5, 1.4, 1.6, 1.8, 1.7, 2.0].map((v) =>
      trial({ movementTime: v }),
    );
    const report = detectFatigue(rising);
    expect(report.state).toBe('fatigue');
    expect(report.text).toBe(
      'Signs of fatigue (touch, right arm): movement time rose over the session (median 1.05 s in the first third, 1.75 s in the last; Mann-Kendall z = 3.7, one-sided p < 0.01). A rest or a shorter session may help.',
    );
    const monitor = createFatigueMonitor();
    expect(fatigueToReport(monitor, rising.slice(0, 6))).toBeNull();
    expect(fatigueToReport(monitor, rising)!.state).toBe('fatigue');
    expect(fatigueToReport(monitor, rising)).toBeNull();
    expect(detectFatigue([...rising].reverse()).state).toBe('steady');
    expect(detectFatigue(rising.slice(0, 9)).state).toBe('not_enough_data');
    expect(detectFatigue([]).text).toBe('not enough data: no trials yet');
    // Falling SPARC (less smooth) counts too.
    const jerkier = [-1.5, -1.6, -1.55, -1.7, -1.8, -1.75, -1.9, -2.0, -2.1, -2.05, -2.2, -2.3].map(
      (v) => trial({ sparc: v }),
    );
    expect(detectFatigue(jerkier).state).toBe('fatigue');
    // All values equal: steady, never NaN.
    const flat = detectFatigue(
      Array.from({ length: 12 }, () => trial({ movementTime: 1, sparc: -1.6 })),
    );
    expect(flat.state).toBe('steady');
    expect(JSON.stringify(flat)).not.toMatch(/NaN/);
  });

  it('a long session: the monitor reports at the same trial, the same report, as the full test over every prefix', () => {
    // Deterministic noise (a linear congruential generator), values on a 10 ms grid so ties occur.
    let seed = 12345;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const round = (v: number) => Math.round(v * 100) / 100;
    // 600 trials: touch with the right arm and grasp with the left, the left more often at first
    // (the tested group changes hands), some without a SPARC; steady for 450 trials, then slower.
    const trials = Array.from({ length: 600 }, (_, i) => {
      const left = i < 100 ? i % 3 !== 0 : i % 3 === 0;
      const slower = i < 450 ? 0 : (i - 450) * 0.004;
      return trial(
        {
          movementTime: round(1 + 0.3 * noise() + slower),
          sparc: i % 7 === 0 ? null : round(-1.6 + 0.2 * noise()),
        },
        left ? { task: 'grasp', arm: 'left' } : {},
      );
    });
    let expectedAt = -1;
    for (let n = 1; n <= trials.length && expectedAt < 0; n++)
      if (detectFatigue(trials.slice(0, n)).state === 'fatigue') expectedAt = n;
    expect(expectedAt).toBeGreaterThan(450);

    const monitor = createFatigueMonitor();
    const sessionSoFar: PersonalTrial[] = [];
    let reportedAt = -1;
    for (const [i, t] of trials.entries()) {
      sessionSoFar.push(t);
      const report = fatigueToReport(monitor, sessionSoFar);
      if (report === null) continue;
      expect(reportedAt).toBe(-1);
      reportedAt = i + 1;
      expect(report).toEqual(detectFatigue(trials.slice(0, reportedAt)));
      expect(report.arm).toBe('right');
    }
    expect(reportedAt).toBe(expectedAt);
  });

  it('reads each trial of a session once until it reports, not the whole session again per trial', () => {
    const steady = Array.from({ length: 2000 }, (_, i) =>
      trial({ movementTime: 1 + (i % 5) * 0.01, sparc: -1.6 }),
    );
    const sessionSoFar: PersonalTrial[] = [];
    let reads = 0;
    const counted = new Proxy(sessionSoFar, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const monitor = createFatigueMonitor();
    for (const t of steady) {
      sessionSoFar.push(t);
      expect(fatigueToReport(monitor, counted)).toBeNull();
    }
    expect(reads).toBe(steady.length);
  });
});
