import type { Arm, Task } from '../types';
import {
  ASSESSMENT_AZIMUTHS_DEG,
  ASSESSMENT_ELEVATIONS_DEG,
  planArms,
} from '../personal/assessment';
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
  /**
   * A trial of the standard reach test: its 0-based index in the session's block (which target of
   * `assessmentBlock`), else null. The block comes before the plan's tasks: it plays `touch`,
   * `taskIndex` -1 and set 1, and never moves the level.
   */
  assessment: number | null;
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

/** Trials of the standard reach test in a session of this plan: 8 per arm, or 0 when it is off. */
export function assessmentTrials(plan: SessionPlan): number {
  if (!plan.assessment) return 0;
  return ASSESSMENT_AZIMUTHS_DEG.length * ASSESSMENT_ELEVATIONS_DEG.length * planArms(plan).length;
}

/** Every trial of a session of this plan: the standard reach test's, then the tasks'. */
export function totalTrials(plan: SessionPlan): number {
  let n = assessmentTrials(plan);
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
 * trials, never cutting one short), plan completion, a due rest, then the next trial. `trialsDone`
 * counts the standard reach test's trials first (when the plan has it), then the tasks'.
 */
export function nextStep(plan: SessionPlan, progress: SessionProgress): SessionStep {
  if (progress.stopped) return { kind: 'end', reason: 'stopped' };
  if (progress.elapsedActiveSeconds >= plan.maxMinutes * 60)
    return { kind: 'end', reason: 'time_up' };
  const done = Math.max(0, Math.floor(progress.trialsDone));
  const block = assessmentTrials(plan);
  if (done < block) {
    const perArm = block / planArms(plan).length;
    return {
      kind: 'trial',
      task: 'touch',
      taskIndex: -1,
      set: 1,
      repetition: done + 1,
      arm: planArms(plan)[Math.floor(done / perArm)]!,
      trialIndex: done,
      holdSeconds: null,
      firstOfSet: done === 0,
      assessment: done,
    };
  }
  const pos = locate(plan, done - block);
  if (!pos) return { kind: 'end', reason: 'plan_complete' };
  // Sets completed before this one, each followed by a rest when rest is configured.
  const restsDue = plan.restSeconds > 0 ? pos.setIndex : 0;
  const firstOfSet = pos.repetition === 1;
  if (firstOfSet && progress.restsDone < restsDue) {
    const prev = locate(plan, done - block - 1);
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
    arm: armFor(plan, done - block, pos.setIndex),
    trialIndex: done,
    holdSeconds: blk.task === 'hold' ? (blk.holdSeconds ?? 2) : null,
    firstOfSet,
    assessment: null,
  };
}
