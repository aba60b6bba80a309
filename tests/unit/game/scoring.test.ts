import { describe, expect, it } from 'vitest';
import { scoreTrial } from '../../../shared/game/scoring';
import { applyDifficultyChange } from '../../../shared/game/difficulty-change';
import { DEFAULT_DIFFICULTY } from '../../../shared/clinical';

describe('scoreTrial', () => {
  it('adds 10 plus 2 per streak hit, resets the streak on a miss, keeps the best', () => {
    let s = { score: 0, streak: 0, bestStreak: 0 };
    s = scoreTrial(s, 'hit');
    s = scoreTrial(s, 'hit');
    s = scoreTrial(s, 'hit');
    expect(s).toEqual({ score: 36, streak: 3, bestStreak: 3 });
    s = scoreTrial(s, 'miss_too_slow');
    expect(s).toEqual({ score: 36, streak: 0, bestStreak: 3 });
  });
});

describe('applyDifficultyChange', () => {
  it('changes one end of a range and keeps the rest', () => {
    const c = applyDifficultyChange(DEFAULT_DIFFICULTY, {
      radius: { easy: 0.08, hard: 0.03 },
      gain: 4,
    });
    expect(c.radius).toEqual({ easy: 0.08, hard: 0.03 });
    expect(c.gain).toBe(4);
    expect(c.distance).toEqual(DEFAULT_DIFFICULTY.distance);
  });
});
