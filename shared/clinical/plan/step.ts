import type { Arm, Task } from '../types';
import type { SessionPlan } from './schema';

/** What has happened so far; everything else is derived, so the step function stays pure. */
export type SessionProgress = {
  /** Trials completed, in plan order (a repeated or abandoned trial is not counted). */
  trialsDone: number;
  /** Rest periods completed (or skipped by the therapist). */
  restsDone: number;
  /** Active seconds (pauses excluded). */
  elapsedActiveSeconds: number;
  /** The therapist ended the session. */
  stopped?: boolean;
};

export type TrialStep = {
  kind: 'trial';
  task: Task;
  /** 0-based index into plan.tasks. */
  taskIndex: number;
  /** 1-based set within the task entry. */
  set: number;
  /** 1-based repetition within the set. */
  repetition: number;
  arm: Arm;
  /** 0-based index over the whole session (= trialsDone); trial number = trialIndex + 1. */
  trialIndex: number;
  holdSeconds: number | null;
  /** First trial of a set, so the headset can announce it. */
  firstOfSet: boolean;
};

export type RestStep = {
  kind: 'rest';
  seconds: number;
  nextTask: Task;
  nextTaskIndex: number;
  nextSet: number;
  /** The next set starts a different task. */
  newTask: boolean;
};

export type EndStep = { kind: 'end'; reason: 'plan_complete' | 'time_up' | 'stopped' };
export type SessionStep = TrialStep | RestStep | EndStep;

export function totalTrials(plan: SessionPlan): number {
  let n = 0;
  for (const b of plan.tasks) n += b.sets * b.repetitions;
  return n;
}

type Position = { block: number; set: number; repetition: number; setIndex: number };

/** Block, set and repetition of the trial with the given 0-based index. */
function locate(plan: SessionPlan, index: number): Position | null {
  let rest = index;
  let setIndex = 0;
  for (let b = 0; b < plan.tasks.length; b++) {
    const blk = plan.tasks[b]!;
    const size = blk.sets * blk.repetitions;
    if (rest < size) {
      const set = Math.floor(rest / blk.repetitions);
      return {
        block: b,
        set: set + 1,
        repetition: (rest % blk.repetitions) + 1,
        setIndex: setIndex + set,
      };
    }
    rest -= size;
    setIndex += blk.sets;
  }
  return null;
}

function armFor(plan: SessionPlan, trialIndex: number, setIndex: number): Arm {
  if (plan.arm !== 'alternate') return plan.arm;
  const i = plan.alternateBy === 'set' ? setIndex : trialIndex;
  const other: Arm = plan.firstArm === 'right' ? 'left' : 'right';
  return i % 2 === 0 ? plan.firstArm : other;
}

/**
 * What comes next. Order of precedence: a therapist's stop, the time limit (checked between
 * trials, never cutting one short), plan completion, a due rest, then the next trial.
 */
export function nextStep(plan: SessionPlan, progress: SessionProgress): SessionStep {
  if (progress.stopped) return { kind: 'end', reason: 'stopped' };
  if (progress.elapsedActiveSeconds >= plan.maxMinutes * 60)
    return { kind: 'end', reason: 'time_up' };
  const done = Math.max(0, Math.floor(progress.trialsDone));
  const pos = locate(plan, done);
  if (!pos) return { kind: 'end', reason: 'plan_complete' };
  // Sets completed before this one, each followed by a rest when rest is configured.
  const restsDue = plan.restSeconds > 0 ? pos.setIndex : 0;
  const firstOfSet = pos.repetition === 1;
  if (firstOfSet && progress.restsDone < restsDue) {
    const prev = locate(plan, done - 1);
    return {
      kind: 'rest',
      seconds: plan.restSeconds,
      nextTask: plan.tasks[pos.block]!.task,
      nextTaskIndex: pos.block,
      nextSet: pos.set,
      newTask: prev !== null && plan.tasks[prev.block]!.task !== plan.tasks[pos.block]!.task,
    };
  }
  const blk = plan.tasks[pos.block]!;
  return {
    kind: 'trial',
    task: blk.task,
    taskIndex: pos.block,
    set: pos.set,
    repetition: pos.repetition,
    arm: armFor(plan, done, pos.setIndex),
    trialIndex: done,
    holdSeconds: blk.task === 'hold' ? (blk.holdSeconds ?? 2) : null,
    firstOfSet,
  };
}
