import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, nextStep, type SessionPlan, type TrialStep } from '../../../shared/clinical';
import { pausedInstruction } from '../../../shared/game/instructions';
import { setIndexOf } from '../../../shared/game/session/ratings';
import { RATING_INSTRUCTION } from '../../../shared/game/session/rating-prompt';
import { playSession, T0 } from './session-fixtures';

/** Two sets of one touch, with a rest between them. */
const plan: SessionPlan = {
  ...DEFAULT_PLAN,
  assessment: false,
  tasks: [{ task: 'touch', sets: 2, repetitions: 1 }],
  restSeconds: 5,
};
const ratings = { enabled: true, painPauseAt: 5 };

/** Plays the first set's one trial (a hit) up to its end. */
function firstSetPlayed(config = { ratings }) {
  const s = playSession(plan, config);
  s.runTo(1.5);
  s.targetEntered();
  s.runTo(2.1);
  expect(s.trials()).toHaveLength(1);
  return s;
}

describe('the session machine: the set-end rating', () => {
  it('asks after the last trial of a set and waits for the answer', () => {
    const s = firstSetPlayed();
    expect(s.view()).toMatchObject({
      status: 'rating',
      rating: { setIndex: 0, arm: 'right' },
      targets: [],
      instruction: RATING_INSTRUCTION,
    });
    expect(s.said().at(-1)).toBe(RATING_INSTRUCTION);
    s.runTo(60);
    expect(s.view().status).toBe('rating');
  });

  it('records the answer, then rests and plays the next set; the last set is rated before the end', () => {
    const s = firstSetPlayed();
    s.log.length = 0;
    s.step({ type: 'rating', effort: 3.5, pain: 2 });
    expect(s.log[0]).toEqual({
      type: 'record-rating',
      rating: {
        setIndex: 0,
        arm: 'right',
        effort: 3.5,
        pain: 2,
        skipped: false,
        at: T0 + 2100,
      },
    });
    expect(s.log[1]).toEqual({ type: 'publish', patch: { rating: null } });
    expect(s.view()).toMatchObject({ status: 'rest', rating: null });
    s.runTo(7.2);
    expect(s.view()).toMatchObject({ status: 'instructions', set: 2 });
    s.runTo(8.5);
    s.targetEntered();
    s.runTo(9.1);
    expect(s.view()).toMatchObject({ status: 'rating', rating: { setIndex: 1, arm: 'right' } });
    expect(s.of('session-ended')).toEqual([]);
    s.step({ type: 'rating', effort: null, pain: null });
    expect(s.of('record-rating').at(-1)!.rating).toMatchObject({
      setIndex: 1,
      effort: null,
      pain: null,
      skipped: true,
    });
    expect(s.view()).toMatchObject({ status: 'ended', summary: { trials: 2, hits: 2 } });
    expect(s.sent()).toEqual([
      'session:start',
      'trial:submit',
      'trial:submit',
      'session:end:plan_complete',
    ]);
  });

  it('pain at the plan limit pauses the session kindly; it resumes like any pause', () => {
    const s = firstSetPlayed();
    s.log.length = 0;
    s.step({ type: 'rating', effort: 6, pain: 5 });
    expect(s.log.map((e) => e.type)).toEqual([
      'record-rating',
      'publish',
      'publish',
      'speak',
      'progress',
    ]);
    expect(s.view()).toMatchObject({
      status: 'paused',
      pausedBy: 'pain',
      instruction: pausedInstruction('controllers'),
    });
    expect(s.said().at(-1)).toBe("Let's take a break. Your therapist has been told.");
    expect(s.apply({ type: 'resume' })).toBeNull();
    expect(s.view()).toMatchObject({ status: 'rest', pausedBy: null });
  });

  it('pain below the limit goes on; the limit is the plan’s', () => {
    const below = firstSetPlayed();
    below.step({ type: 'rating', effort: 2, pain: 4 });
    expect(below.view().status).toBe('rest');
    const strict = firstSetPlayed({ ratings: { enabled: true, painPauseAt: 3 } });
    strict.step({ type: 'rating', effort: null, pain: 3 });
    expect(strict.view()).toMatchObject({ status: 'paused', pausedBy: 'pain' });
  });

  it('an answer outside the scales, or without a prompt, changes nothing', () => {
    const s = firstSetPlayed();
    for (const [effort, pain] of [
      [3.3, 2],
      [11, 2],
      [-0.5, null],
      [2, 2.5],
      [null, 11],
      [Number.NaN, null],
    ] as const)
      expect(s.step({ type: 'rating', effort, pain })).toEqual([]);
    expect(s.view().status).toBe('rating');
    const off = firstSetPlayed({ ratings: { enabled: false, painPauseAt: 5 } });
    expect(off.view().status).toBe('rest');
    expect(off.step({ type: 'rating', effort: 2, pain: 9 })).toEqual([]);
  });

  it('a pause during the prompt asks again on resume', () => {
    const s = firstSetPlayed();
    s.step({ type: 'gesture', action: 'pause' });
    expect(s.view()).toMatchObject({ status: 'paused', rating: null });
    s.step({ type: 'gesture', action: 'resume' });
    expect(s.view()).toMatchObject({ status: 'rating', rating: { setIndex: 0, arm: 'right' } });
  });

  it('numbers sets over the whole session, across the plan’s tasks', () => {
    const mixed: SessionPlan = {
      ...DEFAULT_PLAN,
      assessment: false,
      tasks: [
        { task: 'touch', sets: 2, repetitions: 2 },
        { task: 'hold', sets: 2, repetitions: 1 },
      ],
      restSeconds: 0,
    };
    const indices = [0, 1, 2, 3, 4, 5].map((trialsDone) => {
      const step = nextStep(mixed, { trialsDone, restsDone: 0, elapsedActiveSeconds: 0 });
      return setIndexOf(mixed, step as TrialStep);
    });
    expect(indices).toEqual([0, 0, 1, 1, 2, 3]);
  });
});
