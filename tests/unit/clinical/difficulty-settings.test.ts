import { describe, expect, it } from 'vitest';
import {
  armDifficultySchema,
  clampLevel,
  CLINICAL_LIMITS,
  DEFAULT_DIFFICULTY,
  DEFAULT_PLAN,
  DifficultyConfigError,
  difficultyChangeSchema,
  difficultyConfigSchema,
  mergeDifficulty,
  sessionPlanSchema,
  withDifficultyChange,
} from '../../../shared/clinical';

describe('mergeDifficulty, the one merge of defaults, plan and live change', () => {
  it('changes one end of a range, replaces whole fields and keeps the rest', () => {
    const c = mergeDifficulty(DEFAULT_DIFFICULTY, { radius: { hard: 0.03 }, gain: 4 });
    expect(c.radius).toEqual({ easy: 0.08, hard: 0.03 });
    expect(c.gain).toBe(4);
    expect(c.distance).toEqual({ easy: 0.4, hard: 0.95 });
    expect(c.minLevel).toBe(0);
    expect(c.maxLevel).toBe(100);
  });

  it('ignores the level of a change (it is not part of the configuration)', () => {
    expect(mergeDifficulty(DEFAULT_DIFFICULTY, { level: 40, minLevel: 10 })).toEqual({
      ...DEFAULT_DIFFICULTY,
      minLevel: 10,
    });
  });

  it('refuses bounds out of order once merged, even when the change alone is valid', () => {
    const base = mergeDifficulty(DEFAULT_DIFFICULTY, { maxLevel: 30 });
    expect(difficultyChangeSchema.safeParse({ minLevel: 60 }).success).toBe(true);
    expect(() => mergeDifficulty(base, { minLevel: 60 })).toThrow(
      /maxLevel: minLevel must not exceed maxLevel/,
    );
  });

  it('holds every value inside CLINICAL_LIMITS', () => {
    expect(() => mergeDifficulty(DEFAULT_DIFFICULTY, { distance: { hard: 1.2 } })).toThrow(
      DifficultyConfigError,
    );
    expect(() => mergeDifficulty(DEFAULT_DIFFICULTY, { distance: { hard: 1.2 } })).toThrow(
      /distance\.hard: target distance .* between 0\.2 and 1/,
    );
    expect(() => mergeDifficulty(DEFAULT_DIFFICULTY, { gain: 25 })).toThrow(/gain/);
    expect(() => mergeDifficulty(DEFAULT_DIFFICULTY, { radius: { easy: 0.2 } })).toThrow(/radius/);
    expect(CLINICAL_LIMITS.distanceFraction.max).toBe(1);
  });
});

describe('clampLevel', () => {
  it('keeps a level inside the bounds', () => {
    const c = { minLevel: 10, maxLevel: 60 };
    expect([clampLevel(5, c), clampLevel(10, c), clampLevel(33.5, c), clampLevel(99, c)]).toEqual([
      10, 10, 33.5, 60,
    ]);
  });
});

describe('settings per arm', () => {
  it('reads an old single configuration as the same settings for both arms', () => {
    const old = { ...DEFAULT_DIFFICULTY, maxLevel: 70 };
    expect(armDifficultySchema.parse(old)).toEqual({ left: old, right: old });
  });

  it('changes one arm only', () => {
    const settings = { left: DEFAULT_DIFFICULTY, right: DEFAULT_DIFFICULTY };
    const next = withDifficultyChange(settings, 'left', { minLevel: 20, maxLevel: 40 });
    expect([next.left.minLevel, next.left.maxLevel]).toEqual([20, 40]);
    expect(next.right).toEqual(DEFAULT_DIFFICULTY);
  });

  it('gives a plan a starting level per arm, 50 when none is given', () => {
    const { startLevel: _omitted, ...withoutStart } = DEFAULT_PLAN;
    const plan = sessionPlanSchema.parse({
      ...withoutStart,
      difficulty: DEFAULT_DIFFICULTY,
    });
    expect(plan.startLevel).toEqual({ left: 50, right: 50 });
    expect(plan.difficulty.left).toEqual(DEFAULT_DIFFICULTY);
    const own = sessionPlanSchema.parse({ ...DEFAULT_PLAN, startLevel: { left: 15, right: 70 } });
    expect(own.startLevel).toEqual({ left: 15, right: 70 });
  });

  it("refuses a plan that puts one arm's targets beyond the calibrated reach", () => {
    const plan = {
      ...DEFAULT_PLAN,
      difficulty: {
        left: { ...DEFAULT_DIFFICULTY, distance: { easy: 0.4, hard: 1.3 } },
        right: DEFAULT_DIFFICULTY,
      },
    };
    const parsed = sessionPlanSchema.safeParse(plan);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['difficulty', 'left', 'distance', 'hard']);
    expect(difficultyConfigSchema.safeParse(plan.difficulty.right).success).toBe(true);
  });
});
