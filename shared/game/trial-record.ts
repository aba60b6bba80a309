import {
  analyzeReach,
  assessmentUpdate,
  emptyMetrics,
  TASK_TIME_SCALE,
  timeUnit,
  updateDifficulty,
  type DifficultyConfigInput,
  type DifficultyUpdate,
  type ReachMetrics,
} from '../clinical';
import type { Arm, Posture, Task, Trial, Vec3 } from '../protocol';
import type { RecordedWindow } from './recorder';
import { graspPhases } from './tasks/grasp';
import type { TrialRun } from './tasks/trial-run';
import { isTrunkCompensation } from './trunk-cue';

/** Movement kept after contact so the metrics see the reach settle (spec B's window). */
export const POST_CONTACT_SECONDS = 0.5;

export interface TrialVerdict {
  update: DifficultyUpdate;
  metrics: ReachMetrics;
  trunkCompensation: boolean;
  /** Sampling rate of the XR frames, Hz (from the median frame interval). */
  fs: number;
  /** Samples relative to the target's appearance (t = 0). */
  samples: RecordedWindow;
}

/** When the analysis window of a finished trial closes, on the XR clock. */
export function windowEnd(run: TrialRun): number {
  return run.reached && run.tContact !== null
    ? run.tGo + run.tContact + POST_CONTACT_SECONDS
    : run.tGo + run.timeout;
}

/**
 * Judges a finished trial: the clinical rule classifies it and moves the difficulty, the kinematic
 * metrics are computed on the window from the target's appearance to contact + 0.5 s (or timeout).
 */
export function judgeTrial(input: {
  run: TrialRun;
  level: number;
  difficulty: DifficultyConfigInput | undefined;
  trialNumber: number;
  target: Vec3;
  targetRadius: number;
  window: RecordedWindow;
  /** The patient's posture: the trunk cue's threshold depends on it (seated when not known). */
  posture?: Posture;
  /** A trial of the standard reach test: judged on its fixed limit, the level never moves. */
  assessment?: boolean;
}): TrialVerdict {
  const { run, window } = input;
  const attempt = { reached: run.reached, tContact: run.tContact };
  const update = input.assessment
    ? assessmentUpdate(input.level, attempt, input.difficulty)
    : updateDifficulty(input.level, attempt, input.difficulty, {
        trialNumber: input.trialNumber,
        timeScale: TASK_TIME_SCALE[run.task],
      });
  const fs = frameRate(window.t);
  const samples: RecordedWindow = { ...window, t: window.t.map((t) => t - run.tGo) };
  // The XR clock counts seconds: frames a second or more apart (a page starved of CPU) are frames
  // slower than 10 Hz, never timestamps in milliseconds as the core would read them (it guesses
  // the unit for recordings of unknown origin).
  const analysis =
    timeUnit(samples.t) === 'seconds'
      ? analyzeReach({
          t: samples.t,
          hand: samples.hand,
          head: samples.head,
          tGo: 0,
          target: input.target,
          targetRadius: input.targetRadius,
          fs,
        })
      : null;
  // A refusal (XR frames slower than 10 Hz) is stored as a trial without measures, not a crash.
  const metrics = analysis?.ok ? analysis.metrics : emptyMetrics(['input_refused']);
  const trunkCompensation = isTrunkCompensation(metrics, input.posture ?? 'seated');
  return { update, metrics, trunkCompensation, fs, samples };
}

/** The XR frame rate seen in a window; 72 Hz (the budgeted rate) when too few samples. */
export function frameRate(t: readonly number[]): number {
  const dts: number[] = [];
  for (let i = 1; i < t.length; i++) if (t[i]! > t[i - 1]!) dts.push(t[i]! - t[i - 1]!);
  if (dts.length === 0) return 72;
  dts.sort((a, b) => a - b);
  const median = dts[Math.floor(dts.length / 2)]!;
  return Math.min(240, Math.max(10, Math.round(1 / median)));
}

export function buildTrial(input: {
  id: string;
  sessionId: string;
  trialNumber: number;
  task: Task;
  arm: Arm;
  set: number;
  startedAt: string;
  endedAt: string;
  target: Vec3;
  tContact: number | null;
  inputMode: 'controllers' | 'hands';
  verdict: TrialVerdict;
  /** A trial of the standard reach test. */
  assessment?: boolean;
  /** The finished run: a grasp's phases are measured from its events. */
  run?: TrialRun;
  /** Why this trial's target went where it did, when placement changed for it. */
  placementReason?: string | null;
}): Trial {
  const { verdict } = input;
  const { update } = verdict;
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    id: input.id,
    sessionId: input.sessionId,
    trialNumber: input.trialNumber,
    task: input.task,
    arm: input.arm,
    set: input.set,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    levelBefore: update.levelBefore,
    levelAfter: update.level,
    // The time the trial allowed: the level's limit times the task's scale (2.5 for a grasp).
    params: {
      ...update.paramsBefore,
      timeLimit: update.paramsBefore.timeLimit * TASK_TIME_SCALE[input.task],
    },
    target: input.target,
    outcome: update.outcome,
    tContact: input.tContact === null ? null : Math.min(600, Math.max(0, input.tContact)),
    reason: update.reason.slice(0, 1000),
    ...(input.placementReason ? { placementReason: input.placementReason.slice(0, 1000) } : {}),
    inputMode: input.inputMode,
    metrics: verdict.metrics,
    trunkCompensation: verdict.trunkCompensation,
    assessment: input.assessment === true,
    ...(input.task === 'grasp' && input.run ? { graspPhases: graspPhases(input.run) } : {}),
    samples: {
      fs: verdict.fs,
      t: verdict.samples.t.map(round),
      hand: verdict.samples.hand,
      otherHand: verdict.samples.otherHand,
      head: verdict.samples.head,
    },
  };
}
