import { describe, expect, it } from 'vitest';
import { scoreTrial } from '../../../shared/game/scoring';

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
