import { describe, expect, it } from 'vitest';
import type { SessionPlan, SessionProgress, SessionStep } from '../../../shared/clinical/index';
import {
  DEFAULT_DIFFICULTY,
  DEFAULT_PLAN,
  nextStep,
  sessionPlanSchema,
  summarizeSession,
  totalTrials,
} from '../../../shared/clinical/index';

const plan = (over: Partial<SessionPlan> = {}): SessionPlan =>
  sessionPlanSchema.parse({
    tasks: [
      { task: 'touch', sets: 2, repetitions: 3 },
      { task: 'hold', sets: 1, repetitions: 2, holdSeconds: 3 },
    ],
    restSeconds: 20,
    maxMinutes: 10,
    arm: 'right',
    assessment: false,
    difficulty: structuredClone(DEFAULT_DIFFICULTY),
    ...over,
  });

/** Runs a plan to its end, doing every step, and returns the steps. */
function run(p: SessionPlan, secondsPerTrial = 5): SessionStep[] {
  const steps: SessionStep[] = [];
  const prog: SessionProgress = { trialsDone: 0, restsDone: 0, elapsedActiveSeconds: 0 };
  for (let i = 0; i < 1000; i++) {
    const s = nextStep(p, prog);
    steps.push(s);
    if (s.kind === 'end') break;
    if (s.kind === 'trial') {
      prog.trialsDone++;
      prog.elapsedActiveSeconds += secondsPerTrial;
    } else prog.restsDone++;
  }
  return steps;
}

describe('session plan', () => {
  it('validates the default plan and rejects bad plans', () => {
    expect(sessionPlanSchema.parse(DEFAULT_PLAN)).toEqual(DEFAULT_PLAN);
    // 34 trials of the tasks after the 8 of the standard reach test (one arm).
    expect(totalTrials(DEFAULT_PLAN)).toBe(42);
    const bad = [
      { ...DEFAULT_PLAN, tasks: [] },
      { ...DEFAULT_PLAN, tasks: [{ task: 'jump', sets: 1, repetitions: 1 }] },
      { ...DEFAULT_PLAN, tasks: [{ task: 'touch', sets: 0, repetitions: 1 }] },
      { ...DEFAULT_PLAN, restSeconds: -1 },
      { ...DEFAULT_PLAN, maxMinutes: NaN },
      { ...DEFAULT_PLAN, arm: 'both' },
      { ...DEFAULT_PLAN, difficulty: { ...DEFAULT_DIFFICULTY, targetSuccess: 0.95 } },
    ];
    for (const b of bad) expect(sessionPlanSchema.safeParse(b).success).toBe(false);
  });

  it('walks trials, rests between sets and tasks, then ends', () => {
    const steps = run(plan());
    const summary = steps.map((s) =>
      s.kind === 'trial'
        ? `${s.task}${s.set}.${s.repetition}`
        : s.kind === 'rest'
          ? `rest>${s.nextTask}${s.nextSet}`
          : `end:${s.reason}`,
    );
    expect(summary).toEqual([
      'touch1.1',
      'touch1.2',
      'touch1.3',
      'rest>touch2',
      'touch2.1',
      'touch2.2',
      'touch2.3',
      'rest>hold1',
      'hold1.1',
      'hold1.2',
      'end:plan_complete',
    ]);
    const trials = steps.filter((s) => s.kind === 'trial');
    expect(trials.map((s) => s.trialIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(trials[6]).toMatchObject({
      task: 'hold',
      holdSeconds: 3,
      firstOfSet: true,
      arm: 'right',
      taskIndex: 1,
    });
    expect(trials[0]!.holdSeconds).toBeNull();
    const rests = steps.filter((s) => s.kind === 'rest');
    expect(rests.map((r) => [r.seconds, r.newTask])).toEqual([
      [20, false],
      [20, true],
    ]);
  });

  it('has no rest steps when rest is 0', () => {
    expect(run(plan({ restSeconds: 0 })).filter((s) => s.kind === 'rest')).toHaveLength(0);
  });

  it('ends with time_up when active time reaches the maximum, between trials', () => {
    const steps = run(plan({ maxMinutes: 1 }), 15);
    expect(steps.at(-1)).toEqual({ kind: 'end', reason: 'time_up' });
    expect(steps.filter((s) => s.kind === 'trial')).toHaveLength(4);
    expect(
      nextStep(plan(), { trialsDone: 2, restsDone: 0, elapsedActiveSeconds: 599.9 }).kind,
    ).toBe('trial');
    expect(nextStep(plan(), { trialsDone: 2, restsDone: 0, elapsedActiveSeconds: 600 })).toEqual({
      kind: 'end',
      reason: 'time_up',
    });
  });

  it('ends with stopped when the therapist stops', () => {
    expect(
      nextStep(plan(), { trialsDone: 1, restsDone: 0, elapsedActiveSeconds: 5, stopped: true }),
    ).toEqual({ kind: 'end', reason: 'stopped' });
  });

  it('alternates arms per trial or per set', () => {
    const byTrial = run(plan({ arm: 'alternate' })).flatMap((s) =>
      s.kind === 'trial' ? [s.arm] : [],
    );
    expect(byTrial).toEqual(['right', 'left', 'right', 'left', 'right', 'left', 'right', 'left']);
    const bySet = run(plan({ arm: 'alternate', alternateBy: 'set', firstArm: 'left' })).flatMap(
      (s) => (s.kind === 'trial' ? [s.arm] : []),
    );
    expect(bySet).toEqual(['left', 'left', 'left', 'right', 'right', 'right', 'left', 'left']);
  });

  it('is pure: the same progress gives the same step', () => {
    const p = plan();
    const prog = { trialsDone: 3, restsDone: 0, elapsedActiveSeconds: 30 };
    expect(nextStep(p, prog)).toEqual(nextStep(p, { ...prog }));
    expect(nextStep(p, prog).kind).toBe('rest');
    expect(nextStep(p, { ...prog, restsDone: 1 })).toMatchObject({
      kind: 'trial',
      set: 2,
      repetition: 1,
    });
  });
});

describe('session summary', () => {
  const m = (reactionTime: number | null, sparc: number | null) => ({ reactionTime, sparc });
  it('counts outcomes and describes each metric over valid trials only', () => {
    const s = summarizeSession([
      { outcome: 'hit', levelBefore: 50, levelAfter: 52, metrics: m(0.4, -1.5) },
      { outcome: 'miss_too_slow', levelBefore: 52, levelAfter: 46, metrics: m(0.6, null) },
      { outcome: 'hit', levelBefore: 46, levelAfter: 48, metrics: m(0.5, -1.7) },
      { outcome: 'miss_not_reached', levelBefore: 48, levelAfter: 42, metrics: null },
    ]);
    expect(s).toMatchObject({
      trials: 4,
      hits: 2,
      misses: 2,
      missNotReached: 1,
      missTooSlow: 1,
      successRate: 0.5,
      levelStart: 50,
      levelEnd: 42,
    });
    expect(s.metrics.reactionTime.n).toBe(3);
    expect(s.metrics.reactionTime.mean).toBeCloseTo(0.5, 12);
    expect(s.metrics.reactionTime.sd).toBeCloseTo(0.1, 12);
    expect(s.metrics.reactionTime.median).toBeCloseTo(0.5, 12);
    expect(s.metrics.sparc).toMatchObject({ n: 2, median: -1.6 });
    expect(s.metrics.sparc.sd).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(s.metrics.peakSpeed).toEqual({ n: 0, mean: null, sd: null, median: null });
  });

  it('handles an empty session and a single trial', () => {
    expect(summarizeSession([])).toMatchObject({
      trials: 0,
      successRate: null,
      levelStart: null,
      levelEnd: null,
    });
    const one = summarizeSession([
      { outcome: 'hit', levelBefore: 10, levelAfter: 12, metrics: m(0.3, -1.4) },
    ]);
    expect(one.metrics.reactionTime).toEqual({ n: 1, mean: 0.3, sd: null, median: 0.3 });
  });
});
