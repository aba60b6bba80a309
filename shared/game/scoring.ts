import type { TrialOutcome } from '../protocol';

export interface Score {
  score: number;
  streak: number;
  bestStreak: number;
}

/** A hit earns 10 points plus 2 per hit already in the streak (capped), a miss resets the streak. */
export function scoreTrial(previous: Score, outcome: TrialOutcome): Score {
  if (outcome !== 'hit') return { ...previous, streak: 0 };
  const streak = previous.streak + 1;
  return {
    score: previous.score + 10 + 2 * Math.min(previous.streak, 10),
    streak,
    bestStreak: Math.max(previous.bestStreak, streak),
  };
}
