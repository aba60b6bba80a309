import type { ArmDifficulty, DifficultyParams, SessionSummary } from '../../clinical';
import type {
  Arm,
  LiveState,
  TrialOutcome,
  SessionStatus,
  Task,
  Vec3,
  Workspace,
} from '../../protocol';
import type { CalibrationDirection } from '../calibration';
import {
  BALANCED_PLACEMENT,
  type PlacementSetting,
} from '../../clinical/personal/placement-setting';

/** Who paused the session (the wire's reasons, `pain` a rating at or above the plan's limit). */
export type PausedBy = NonNullable<LiveState['pausedBy']>;
/** The wire's statuses (`rating`: the set-end prompt), and `idle` before anything started. */
export type SessionViewStatus = 'idle' | SessionStatus;

export interface SceneTarget {
  id: string;
  kind: 'target' | 'object' | 'goal';
  /** Play space (anchored at session start / recenter). */
  position: Vec3;
  radius: number;
}

export interface TrialDigest {
  trialNumber: number;
  task: Task;
  arm: Arm;
  outcome: TrialOutcome;
  tContact: number | null;
  levelBefore: number;
  levelAfter: number;
  reason: string;
  target: Vec3;
  insideWorkspace: boolean;
  trunkCompensation: boolean;
  movementTime: number | null;
  pathRatio: number | null;
  peakSpeed: number | null;
  sparc: number | null;
  flags: string[];
  /** A trial of the standard reach test (fixed target, level unchanged), not of the plan. */
  assessment: boolean;
}

export type SessionSummaryView = SessionSummary & {
  levelStart: number;
  levelEnd: number;
  bestStreak: number;
  /** The standard reach test's part of `trials` and `hits`. */
  test: { trials: number; hits: number };
};

/**
 * What the session shows and reports (panels, live stream, test handle): the machine publishes
 * changes of it as `publish` effects, never per frame.
 */
export interface SessionView {
  mode: 'paired' | 'practice';
  sessionId: string;
  status: SessionViewStatus;
  pausedBy: PausedBy | null;
  task: Task;
  arm: Arm;
  set: number;
  level: number;
  params: DifficultyParams;
  trialNumber: number;
  score: number;
  streak: number;
  bestStreak: number;
  targets: SceneTarget[];
  restSecondsLeft: number | null;
  elapsedSeconds: number;
  inputMode: 'controllers' | 'hands' | 'none';
  workspace: Workspace | null;
  calibrationStep: CalibrationDirection | null;
  instruction: string;
  feedback: string;
  /**
   * Targets reached in this session, the standard reach test's included (what a world's collection
   * shows). Counted by the session, not from `trials`: a resumed session starts with it.
   */
  hits: number;
  /** The trials this page played, newest last (a session resumed after a reload starts empty). */
  trials: TrialDigest[];
  summary: SessionSummaryView | null;
  lastCommand: string | null;
  /** The set-end prompt while it is open: which set, played with which arm. */
  rating: { setIndex: number; arm: Arm } | null;
  /** Where targets go now: the plan's placement, or the therapist's live change once applied. */
  placement: PlacementSetting;
  /**
   * Each arm's difficulty settings in force (bounds and ranges): the plan's, with this session's
   * live changes; null before a session.
   */
  difficulty: ArmDifficulty | null;
}

/** The view before a session publishes anything. */
export function initialView(): SessionView {
  return {
    mode: 'practice',
    sessionId: '',
    status: 'idle',
    pausedBy: null,
    task: 'touch',
    arm: 'right',
    set: 1,
    level: 50,
    params: { distanceFraction: 0, targetRadius: 0, timeLimit: 0, spreadDeg: 0 },
    trialNumber: 0,
    score: 0,
    streak: 0,
    bestStreak: 0,
    targets: [],
    restSecondsLeft: null,
    elapsedSeconds: 0,
    inputMode: 'none',
    workspace: null,
    calibrationStep: null,
    instruction: '',
    feedback: '',
    hits: 0,
    trials: [],
    summary: null,
    lastCommand: null,
    rating: null,
    placement: BALANCED_PLACEMENT,
    difficulty: null,
  };
}
