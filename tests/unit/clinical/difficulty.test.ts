import { describe, expect, it } from 'vitest';
import {
  classifyOutcome,
  DEFAULT_DIFFICULTY,
  difficultyConfigSchema,
  DifficultyConfigError,
  difficultyParams,
  updateDifficulty,
} from '../../../shared/clinical/index';
import { mulberry32 } from './helpers';

const close = (a: number, b: number, digits: number) => expect(a).toBeCloseTo(b, digits);

describe('difficulty mapping (spec A)', () => {
  it('gives the start values at L = 50', () => {
    const p = difficultyParams(50);
    close(p.distanceFraction, 0.675, 12);
    close(p.targetRadius, 0.04, 12);
    close(p.timeLimit, 3, 12);
    close(p.spreadDeg, 70, 12);
  });

  it('gives the spot values to 1e-6 relative', () => {
    expect(Math.abs(difficultyParams(52).timeLimit / 2.9179648 - 1)).toBeLessThan(1e-6);
    expect(Math.abs(difficultyParams(56).targetRadius / 0.0368075 - 1)).toBeLessThan(1e-6);
    close(difficultyParams(44).distanceFraction, 0.642, 12);
    close(difficultyParams(44).spreadDeg, 64, 12);
  });

  it('maps the ends to the easy and hard values, and easy = hard locks a parameter', () => {
    const e = difficultyParams(0);
    const h = difficultyParams(100);
    expect([e.distanceFraction, e.targetRadius, e.timeLimit, e.spreadDeg]).toEqual([
      0.4, 0.08, 6, 20,
    ]);
    close(h.distanceFraction, 0.95, 12);
    close(h.targetRadius, 0.02, 12);
    close(h.timeLimit, 1.5, 12);
    close(h.spreadDeg, 120, 12);
    expect(difficultyParams(37, { radius: { easy: 0.05, hard: 0.05 } }).targetRadius).toBe(0.05);
  });
});

// A1: [reached, tContact, limit used, hit, L after, d, r, T, a]
type Row = [
  boolean,
  number | null,
  number | null,
  boolean,
  number,
  number?,
  number?,
  number?,
  number?,
];
const A1: Row[] = [
  [true, 2.1, 3.0, true, 52, 0.686, 0.03891, 2.918, 72],
  [true, 1.95, 2.918, true, 54, 0.697, 0.03784, 2.8382, 74],
  [true, 2.4, 2.8382, true, 56, 0.708, 0.03681, 2.7606, 76],
  [false, null, 2.7606, false, 50, 0.675, 0.04, 3.0, 70],
  [true, 2.2, 3.0, true, 52],
  [true, 2.0, 2.918, true, 54],
  [true, 2.95, 2.8382, false, 48, 0.664, 0.04112, 3.0843, 68],
  [true, 1.8, 3.0843, true, 50],
  [false, null, 3.0, false, 44, 0.642, 0.04347, 3.2602, 64],
  [true, 2.5, null, true, 46],
  [true, 2.6, null, true, 48],
  [true, 2.3, null, true, 50],
  [true, 2.7, null, true, 52],
  [true, 2.45, null, true, 54],
  [false, null, 2.8382, false, 48],
  [true, 2.1, 3.0843, true, 50],
];

describe('test vector A1', () => {
  it('reproduces every row of the table', () => {
    let level = 50;
    let hits = 0;
    A1.forEach(([reached, tContact, limit, hit, after, d, r, T, a], i) => {
      const u = updateDifficulty(level, { reached, tContact }, undefined, { trialNumber: i + 1 });
      if (limit !== null) close(u.paramsBefore.timeLimit, limit, 4);
      expect(u.hit).toBe(hit);
      expect(u.level).toBe(after);
      if (d !== undefined) {
        close(u.params.distanceFraction, d, 4);
        close(u.params.targetRadius, r!, 5);
        close(u.params.timeLimit, T!, 4);
        close(u.params.spreadDeg, a!, 10);
      }
      if (i === 6) expect(u.outcome).toBe('miss_too_slow');
      if (i === 3) expect(u.outcome).toBe('miss_not_reached');
      if (u.hit) hits++;
      level = u.level;
    });
    expect(hits / A1.length).toBe(0.75);
    expect(level).toBe(50);
  });

  it('writes the spec example reason for trial 4 word for word', () => {
    const u = updateDifficulty(56, { reached: false, tContact: null, trialNumber: 4 });
    expect(u.reason).toBe(
      'Trial 4: target not reached within the 2.76 s limit, a miss; difficulty 56 -> 50 (-6): ' +
        'distance 70.8 % -> 67.5 % of reach, target radius 3.68 -> 4.00 cm, time limit 2.76 -> 3.00 s, ' +
        'spread 76 -> 70 deg. Rule: each success raises difficulty by 2, each miss lowers it by 6, ' +
        'keeping success near 75 %.',
    );
  });
});

describe('outcome and time limit', () => {
  it('counts a contact exactly at the limit as a hit, just after as too slow', () => {
    const limit = difficultyParams(52).timeLimit;
    expect(updateDifficulty(52, { reached: true, tContact: limit }).hit).toBe(true);
    expect(updateDifficulty(52, { reached: true, tContact: 3.0 }).outcome).toBe('miss_too_slow');
    expect(difficultyParams(50).timeLimit).toBe(3);
    expect(updateDifficulty(50, { reached: true, tContact: 3.0 }).outcome).toBe('hit');
    expect(updateDifficulty(50, { reached: true, tContact: 3.0001 }).outcome).toBe('miss_too_slow');
  });

  it('classifies outcomes', () => {
    expect(classifyOutcome({ reached: true, tContact: 1 }, 2)).toBe('hit');
    expect(classifyOutcome({ reached: true, tContact: 2.5 }, 2)).toBe('miss_too_slow');
    expect(classifyOutcome({ reached: false, tContact: null }, 2)).toBe('miss_not_reached');
    expect(classifyOutcome({ reached: true, tContact: null }, 2)).toBe('miss_not_reached');
    expect(classifyOutcome({ reached: true, tContact: NaN }, 2)).toBe('miss_not_reached');
  });
});

describe('bounds', () => {
  it('clamps at the maximum and says so', () => {
    const u = updateDifficulty(100, { reached: true, tContact: 0.5 }, undefined, {
      trialNumber: 9,
    });
    expect(u.level).toBe(100);
    expect(u.atBound).toBe('max');
    expect(u.reason).toContain("stays at 100: the therapist's maximum");
    const v = updateDifficulty(99, { reached: true, tContact: 0.5 });
    expect(v.level).toBe(100);
    expect(v.reason).toContain("difficulty 99 -> 100 (+1, limited by the therapist's maximum)");
  });

  it('clamps at the minimum and at therapist bounds', () => {
    const u = updateDifficulty(3, { reached: false, tContact: null });
    expect(u.level).toBe(0);
    expect(u.atBound).toBe('min');
    expect(updateDifficulty(0, { reached: false, tContact: null }).reason).toContain(
      "stays at 0: the therapist's minimum",
    );
    const cfg = { minLevel: 20, maxLevel: 60 };
    expect(updateDifficulty(22, { reached: false, tContact: null }, cfg).level).toBe(20);
    expect(updateDifficulty(59, { reached: true, tContact: 0.1 }, cfg).level).toBe(60);
    // A stored level outside new bounds is brought inside first.
    expect(updateDifficulty(90, { reached: true, tContact: 0.1 }, cfg).level).toBe(60);
    expect(difficultyParams(90, cfg).spreadDeg).toBeCloseTo(80, 10);
  });
});

describe('accounting identity H/N = p* + (L_N - L_0) / (K N)', () => {
  for (const [p, K] of [
    [0.75, 8],
    [0.7, 5],
    [0.85, 3],
    [0.65, 12.5],
  ] as const) {
    it(`holds on seeded random sequences (p* ${p}, K ${K})`, () => {
      const cfg = { targetSuccess: p, gain: K, minLevel: 0, maxLevel: 100 };
      for (let seed = 1; seed <= 50; seed++) {
        const rnd = mulberry32(seed);
        const L0 = 50;
        let L = L0;
        let H = 0;
        let clamped = false;
        const N = 20 + Math.floor(rnd() * 30);
        for (let i = 0; i < N; i++) {
          const hit = rnd() < p;
          const u = updateDifficulty(L, { reached: hit, tContact: hit ? 0.1 : null }, cfg);
          if (u.atBound) clamped = true;
          if (u.hit) H++;
          L = u.level;
        }
        if (clamped) continue;
        expect(Math.abs(H / N - (p + (L - L0) / (K * N)))).toBeLessThan(1e-7);
      }
    });
  }
});

describe('reason texts', () => {
  it('name the cause, old and new level and every parameter', () => {
    const hit = updateDifficulty(50, { reached: true, tContact: 2.1 }, undefined, {
      trialNumber: 1,
    });
    expect(hit.reason).toBe(
      'Trial 1: target reached in 2.10 s, within the 3.00 s limit, a hit; difficulty 50 -> 52 (+2): ' +
        'distance 67.5 % -> 68.6 % of reach, target radius 4.00 -> 3.89 cm, time limit 3.00 -> 2.92 s, ' +
        'spread 70 -> 72 deg. Rule: each success raises difficulty by 2, each miss lowers it by 6, ' +
        'keeping success near 75 %.',
    );
    const slow = updateDifficulty(54, { reached: true, tContact: 2.95 }, undefined, {
      trialNumber: 7,
    });
    expect(slow.reason).toMatch(
      /^Trial 7: target reached in 2\.95 s, after the 2\.84 s limit, a miss \(too slow\); difficulty 54 -> 48 \(-6\)/,
    );
    for (const word of ['distance', 'target radius', 'time limit', 'spread'])
      expect(slow.reason).toContain(word);
  });

  it('works without a trial number and with non-default rules', () => {
    const u = updateDifficulty(
      50,
      { reached: false, tContact: null },
      { targetSuccess: 0.7, gain: 5 },
    );
    expect(u.reason.startsWith('Target not reached within')).toBe(true);
    expect(u.level).toBe(46.5);
    expect(u.reason).toContain('difficulty 50 -> 46.5 (-3.5)');
    expect(u.reason).toContain(
      'each success raises difficulty by 1.5, each miss lowers it by 3.5, keeping success near 70 %',
    );
  });

  it('marks a locked parameter as unchanged', () => {
    const u = updateDifficulty(
      50,
      { reached: true, tContact: 1 },
      { spread: { easy: 45, hard: 45 } },
    );
    expect(u.reason).toContain('spread 45 deg (unchanged)');
  });

  it('rounds the stored level to 1e-6', () => {
    const u = updateDifficulty(50.12345678, { reached: true, tContact: 0.1 });
    expect(u.level).toBe(52.123457);
  });
});

describe('configuration validation', () => {
  const bad: [string, object][] = [
    ['target below 0.65', { targetSuccess: 0.6 }],
    ['target above 0.85', { targetSuccess: 0.9 }],
    ['min above max', { minLevel: 70, maxLevel: 30 }],
    ['NaN gain', { gain: NaN }],
    ['infinite radius', { radius: { easy: Infinity } }],
    ['zero time limit', { timeLimit: { hard: 0 } }],
    ['negative gain', { gain: -1 }],
  ];
  for (const [name, cfg] of bad) {
    it(`throws a clear error for ${name}`, () => {
      expect(() => updateDifficulty(50, { reached: true, tContact: 1 }, cfg)).toThrow(
        DifficultyConfigError,
      );
      expect(() => difficultyParams(50, cfg)).toThrow(/Invalid difficulty configuration: .+/);
    });
  }

  it('names the offending field', () => {
    expect(() => difficultyParams(50, { minLevel: 70, maxLevel: 30 })).toThrow(
      /maxLevel: minLevel must not exceed maxLevel/,
    );
    expect(() => difficultyParams(50, { targetSuccess: 0.9 })).toThrow(/targetSuccess/);
  });

  it('rejects a non-finite level', () => {
    expect(() => updateDifficulty(NaN, { reached: true, tContact: 1 })).toThrow(RangeError);
  });

  it('exports a schema that accepts the defaults and rejects unknown keys', () => {
    expect(difficultyConfigSchema.parse(structuredClone(DEFAULT_DIFFICULTY))).toEqual(
      DEFAULT_DIFFICULTY,
    );
    expect(difficultyConfigSchema.safeParse({ ...DEFAULT_DIFFICULTY, extra: 1 }).success).toBe(
      false,
    );
    expect(DEFAULT_DIFFICULTY).toMatchObject({
      targetSuccess: 0.75,
      gain: 8,
      minLevel: 0,
      maxLevel: 100,
    });
  });
});
