import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, type SessionPlan } from '../../../shared/clinical';
import { decideResume, type ResumeSnapshot } from '../../../shared/game/session-resume';
import { playSession } from './session-fixtures';

/** A headset page reloaded at an awkward moment: what the session it takes up again shows. */

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
