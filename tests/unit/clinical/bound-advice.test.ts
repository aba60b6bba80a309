import { describe, expect, it } from 'vitest';
import { difficultyBoundAdvice } from '../../../shared/clinical/difficulty';
import type { TrialOutcome } from '../../../shared/clinical';

const trials = (levelAfter: number, hits: number, n = 10) =>
  Array.from({ length: n }, (_, i) => ({
    levelAfter,
    outcome: (i < hits ? 'hit' : 'miss_not_reached') as TrialOutcome,
  }));

describe('difficulty bound advice', () => {
  it('needs 10 trials in a row at a bound', () => {
    expect(difficultyBoundAdvice(trials(0, 0, 9), { minLevel: 0, maxLevel: 100 }, 0.75)).toBe(null);
    expect(
      difficultyBoundAdvice(
        [...trials(0, 0, 9), { levelAfter: 2, outcome: 'hit' }],
        {
          minLevel: 0,
          maxLevel: 100,
        },
        0.75,
      ),
    ).toBe(null);
  });

  it('at the minimum with high success: the range is too easy, raise the minimum', () => {
    expect(difficultyBoundAdvice(trials(20, 10), { minLevel: 20, maxLevel: 100 }, 0.75)).toEqual({
      bound: 'min',
      verdict: 'too_easy',
      successRate: 1,
      message:
        'At minimum difficulty for 10 trials, success 100 %: the range is too easy, consider raising the minimum.',
    });
  });

  it('at the minimum with low success: easier settings', () => {
    const advice = difficultyBoundAdvice(trials(0, 2), { minLevel: 0, maxLevel: 100 }, 0.75);
    expect(advice?.verdict).toBe('too_hard');
    expect(advice?.message).toBe(
      'At minimum difficulty for 10 trials, success 20 %: the easiest settings are too hard, consider easier settings.',
    );
  });

  it('at the maximum with low success: the maximum is too hard', () => {
    expect(difficultyBoundAdvice(trials(80, 3), { minLevel: 0, maxLevel: 80 }, 0.75)).toEqual({
      bound: 'max',
      verdict: 'too_hard',
      successRate: 0.3,
      message:
        'At maximum difficulty for 10 trials, success 30 %: the maximum is too hard, consider lowering the maximum.',
    });
  });

  it('at the maximum with high success: harder settings', () => {
    expect(
      difficultyBoundAdvice(trials(100, 9), { minLevel: 0, maxLevel: 100 }, 0.75)?.message,
    ).toBe(
      'At maximum difficulty for 10 trials, success 90 %: the hardest settings are too easy, consider harder settings.',
    );
  });

  it('judges against the target success, inclusive', () => {
    expect(difficultyBoundAdvice(trials(0, 7), { minLevel: 0, maxLevel: 100 }, 0.7)?.verdict).toBe(
      'too_easy',
    );
    expect(difficultyBoundAdvice(trials(0, 7), { minLevel: 0, maxLevel: 100 }, 0.75)?.verdict).toBe(
      'too_hard',
    );
  });

  it('a locked range is both bounds', () => {
    const advice = difficultyBoundAdvice(trials(10, 1), { minLevel: 10, maxLevel: 10 }, 0.75);
    expect(advice?.bound).toBe('locked');
    expect(advice?.message).toBe(
      'Difficulty locked at 10 for 10 trials, success 10 %: too hard, consider lowering the level or widening the range.',
    );
  });
});
