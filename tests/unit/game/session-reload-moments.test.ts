import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, type SessionPlan } from '../../../shared/clinical';
import { RATING_INSTRUCTION } from '../../../shared/game/session/rating-prompt';
import {
  decideResume,
  parseResumeSnapshot,
  type ResumeSnapshot,
} from '../../../shared/game/session-resume';
import { playSession } from './session-fixtures';

/** A headset page reloaded at an awkward moment: what the session it takes up again shows. */

const ratings = { enabled: true, painPauseAt: 5 };

/** Frames at 50 Hz until the session machine is in `phase` (the frame that got there included). */
function runUntilPhase(s: ReturnType<typeof playSession>, phase: string) {
  for (let i = 0; i < 5000 && s.state.phase !== phase; i++) s.runTo(s.input.t + 0.02);
  expect(s.state.phase).toBe(phase);
}

/** Plays the next trial to a hit: its target appears, the hand enters it, it is judged. */
function hitNext(s: ReturnType<typeof playSession>) {
  runUntilPhase(s, 'running');
  s.targetEntered();
  runUntilPhase(s, 'judged');
}

/** The page reloads now: the last snapshot saved, taken up again a minute later by a new page. */
function reloaded(
  first: ReturnType<typeof playSession>,
  plan: SessionPlan,
  config: Parameters<typeof playSession>[1] = {},
) {
  const saved = first.of('progress').at(-1)!.snapshot;
  const decision = decideResume({ ...saved, patientId: 'p1' } as ResumeSnapshot, {
    nowMs: Date.parse(saved.savedAt) + 60_000,
    patientId: 'p1',
    plan,
  });
  expect(decision.kind).toBe('resume');
  if (decision.kind !== 'resume') throw new Error('not resumed');
  return { saved, second: playSession(plan, { ...config, resume: decision.snapshot }) };
}

describe('a reload mid-session: what the world counts', () => {
  const plan: SessionPlan = {
    ...DEFAULT_PLAN,
    assessment: false,
    tasks: [{ task: 'touch', sets: 1, repetitions: 4 }],
  };

  it('the targets reached and the streak go on from where they stood, and the end counts each trial once', () => {
    const first = playSession(plan);
    hitNext(first);
    hitNext(first);
    expect(first.view()).toMatchObject({ hits: 2, streak: 2, score: 22 });
    const { second } = reloaded(first, plan);
    // Before the first frame already: the world's collection is drawn from this.
    expect(second.view()).toMatchObject({ hits: 2, streak: 2, score: 22, trials: [] });
    hitNext(second);
    expect(second.view()).toMatchObject({ hits: 3, streak: 3, score: 36, trialNumber: 3 });
    expect(second.apply({ type: 'end' })).toBeNull();
    expect(second.view()).toMatchObject({
      status: 'ended',
      hits: 3,
      summary: { trials: 3, hits: 3, bestStreak: 3 },
    });
  });

  it('an older snapshot (none of the fields added later) still resumes with its count', () => {
    const first = playSession(plan);
    hitNext(first);
    hitNext(first);
    const saved = first.of('progress').at(-1)!.snapshot;
    const addedLater = new Set([
      ...['assessmentSeed', 'placement', 'placementSummaries'],
      ...['placementReason', 'heldBy', 'ratingDue'],
    ]);
    const old = Object.fromEntries(Object.entries(saved).filter(([k]) => !addedLater.has(k)));
    const stored = parseResumeSnapshot({
      ...old,
      patientId: 'p1',
      summaryTrials: saved.summaryTrials.map((t) => ({
        outcome: t.outcome,
        levelBefore: t.levelBefore,
        levelAfter: t.levelAfter,
        metrics: t.metrics,
      })),
    });
    expect(stored).not.toBeNull();
    const second = playSession(plan, { resume: stored });
    expect(second.view()).toMatchObject({ hits: 2, streak: 2, trialNumber: 2 });
  });

  it('a miss before the reload stays counted as no target reached', () => {
    const first = playSession(plan);
    hitNext(first);
    runUntilPhase(first, 'running');
    runUntilPhase(first, 'judged'); // the time limit passes: a miss
    expect(first.view()).toMatchObject({ hits: 1, streak: 0 });
    const { second } = reloaded(first, plan);
    expect(second.view()).toMatchObject({ hits: 1, streak: 0, bestStreak: 1 });
  });
});

describe("a reload between the two frames of a set's last trial", () => {
  /** Two sets of two touches, a rest between them, rated after each set. */
  const plan: SessionPlan = {
    ...DEFAULT_PLAN,
    assessment: false,
    tasks: [{ task: 'touch', sets: 2, repetitions: 2 }],
    restSeconds: 5,
  };

  it("saves the set's rating as due with the trial that ends the set, and asks it after the reload", () => {
    const first = playSession(plan, { ratings });
    hitNext(first);
    runUntilPhase(first, 'instructions');
    hitNext(first);
    // The page reloads now, before the frame that would open the prompt.
    const { saved, second } = reloaded(first, plan, { ratings });
    expect(saved).toMatchObject({ trialsDone: 2, restsDone: 0 });
    expect(saved.ratingDue).toEqual({ setIndex: 0, arm: 'right' });
    second.runTo(0.02);
    expect(second.view()).toMatchObject({
      status: 'rating',
      rating: { setIndex: 0, arm: 'right' },
      instruction: RATING_INSTRUCTION,
    });
    second.step({ type: 'rating', effort: 4, pain: 1 });
    expect(second.of('record-rating').map((e) => e.rating)).toEqual([
      {
        setIndex: 0,
        arm: 'right',
        effort: 4,
        pain: 1,
        skipped: false,
        at: second.of('record-rating')[0]!.rating.at,
      },
    ]);
    // Then the plan goes on as it would have: the rest before set 2.
    expect(second.view()).toMatchObject({ status: 'rest', rating: null });
  });

  it('makes nothing due after a trial within a set, nor with ratings off', () => {
    const first = playSession(plan, { ratings });
    hitNext(first);
    expect(first.of('progress').at(-1)!.snapshot.ratingDue).toBeNull();
    const off = playSession(plan);
    hitNext(off);
    runUntilPhase(off, 'instructions');
    hitNext(off);
    expect(off.of('progress').at(-1)!.snapshot.ratingDue).toBeNull();
  });

  it("the session's last set too: rated after the reload, then the end", () => {
    const last: SessionPlan = { ...plan, tasks: [{ task: 'touch', sets: 1, repetitions: 1 }] };
    const first = playSession(last, { ratings });
    hitNext(first);
    const { second } = reloaded(first, last, { ratings });
    second.runTo(0.02);
    expect(second.view()).toMatchObject({ status: 'rating', rating: { setIndex: 0 } });
    second.step({ type: 'rating', effort: null, pain: null });
    expect(second.view()).toMatchObject({ status: 'ended', summary: { trials: 1, hits: 1 } });
    expect(second.sent()).toEqual(['session:start', 'session:end:plan_complete']);
  });
});
