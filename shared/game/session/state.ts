import {
  clampLevel,
  DEFAULT_PLAN,
  type AssessmentTarget,
  difficultyParams,
  mergeDifficulty,
  nextStep,
  type ArmDifficulty,
  type SessionPlan,
  type TrialStep,
} from '../../clinical';
import {
  createPerformanceMap,
  mapFromSnapshot,
  type MapSnapshot,
  type PerformanceMapState,
  type PlacementSetting,
  type PlacementSummary,
} from '../../clinical/personal';
import type { Arm, Calibration, Posture, Task, Vec3, Workspace } from '../../protocol';
import type { CalibrationRun } from '../calibration';
import { DEFAULT_PRESETS, displayStyle } from '../display-presets';
import { PLAIN_THINGS, type ColourNames, type ThingNames } from '../instructions';
import { seededRandom } from '../random';
import { MovementRecorder } from '../recorder';
import { resumedPerformanceMap, type PlayedTrial, type ResumeSnapshot } from '../session-resume';
import type { TrialRun } from '../tasks';
import type { SessionEffect } from './effects';
import { createFrameInput, type FrameInput } from './frame-input';
import { initialView, type SessionView } from './view';

/** The session's pacing; tests shorten it (URL parameters in automation mode). */
export interface SessionOptions {
  /** Seconds an instruction shows before the first trial of a set. */
  instructionSeconds: number;
  /** Seconds between two trials of a set. */
  interTrialSeconds: number;
  /** Overrides the plan's rest, seconds (automation only). */
  restSeconds: number | null;
  /** Overrides the plan's hold time, seconds (automation only). */
  holdSeconds: number | null;
  /** Seconds of stillness that confirm a calibration direction. */
  calibrationHoldSeconds: number;
  /** Automation: replaces the plan's tasks, e.g. "touch:12,hold:12,grasp:12". */
  tasks: { task: Task; repetitions: number }[] | null;
  /** Automation: time limits at the easy and hard ends (a slow emulator needs more time). */
  timeLimit: { easy: number; hard: number } | null;
  /**
   * Automation: the standard reach test on or off whatever the plan says; null = the plan's,
   * except that `tasks` (the whole session, listed) leaves it out.
   */
  assessment: boolean | null;
}

/** The set-end prompt (issue 14): off, or on with the pain rating that pauses the session. */
export interface RatingOptions {
  enabled: boolean;
  /** A pain rating at or above this pauses the session. */
  painPauseAt: number;
}

export interface SessionConfig {
  mode: 'paired' | 'practice';
  /** Paired and connected at start: the session is recorded as 'live', else as 'home'. */
  live: boolean;
  plan: SessionPlan | null;
  /** Each arm's stored level; an arm without one starts at the plan's `startLevel`. */
  levels: Partial<Record<Arm, number>>;
  posture?: Posture;
  calibration: Calibration | null;
  options: SessionOptions;
  ratings: RatingOptions;
  /**
   * A session this page takes up again after a reload (`decideResume` said so): its id, plan,
   * progress and levels replace a new session's.
   */
  resume?: ResumeSnapshot | null;
  /** Names of the colours drawn (display presets), so instructions say what is seen. */
  colourNames?: ColourNames;
  /** What the world drawn calls its target, object and goal (the plain room's when not said). */
  things?: ThingNames;
  /**
   * Each arm's performance map as the server last sent it (with the plan); an arm without one
   * starts empty. The machine adds every finished trial to it.
   */
  performanceMaps?: Partial<Record<Arm, MapSnapshot>> | null;
  /** Seeds target placement, so a session's targets can be replayed. */
  seed: number;
  /** A fresh unique id (a UUID on the headset): the session's, each trial's. */
  newId: () => string;
}

export type Phase =
  | 'idle'
  | 'calibrating'
  | 'instructions'
  | 'running'
  | 'feedback'
  /**
   * The trial was judged and recorded this frame; the plan goes on (the next target, a rest, the
   * set-end rating or the end) on the next event, so one frame never carries both halves.
   */
  | 'judged'
  | 'rest'
  | 'rating'
  | 'paused'
  | 'ended';

/**
 * Everything the session is. Owned by the machine and written in place by `stepSession` (so a
 * frame allocates nothing); read by the adapter only through the queries in `queries.ts`.
 */
export interface SessionState {
  readonly config: SessionConfig;
  readonly sessionId: string;
  readonly colourNames: ColourNames;
  /** Set again when the world is settled (a menu choice) or falls back to the plain room. */
  things: ThingNames;
  phase: Phase;
  /** What was last published (the machine reads it back instead of a store). */
  view: SessionView;
  plan: SessionPlan;
  /** Each arm's settings: the plan's, with this session's live changes. */
  difficulty: ArmDifficulty;
  levels: Record<Arm, number>;
  levelStart: number;
  workspaces: Partial<Record<Arm, Workspace>>;
  calibrationRun: CalibrationRun | null;
  step: TrialStep | null;
  /**
   * The standard reach test's targets in playing order, made once every arm of the plan has a
   * workspace (null until then, and when the plan has no test).
   */
  assessmentTargets: AssessmentTarget[] | null;
  /** Shuffles the test's order: kept across a reload so a resumed block goes on in the same order. */
  readonly assessmentSeed: number;
  run: TrialRun | null;
  target: Vec3;
  objectStart: Vec3;
  trialStartedAt: string;
  phaseEndsAt: number;
  trialsDone: number;
  restsDone: number;
  elapsed: number;
  /** Frame clock of the latest frame, -1 before the first. */
  lastT: number;
  /** Wall clock (ms) of the latest event. */
  now: number;
  stopped: boolean;
  taskOverride: Task | null;
  armOverride: Arm | null;
  /** Where targets go: the plan's, until the therapist changes it live. */
  placement: PlacementSetting;
  /** Each arm's performance map, current after every trial (focus placement reads it). */
  readonly maps: Record<Arm, PerformanceMapState>;
  /** What placement did for each arm's last target, to explain a change. */
  placementSummaries: Record<Arm, PlacementSummary>;
  /** The explanation of a placement change, carried by the next trial record. */
  placementReason: string | null;
  random: () => number;
  lastSelect: boolean;
  lastGrab: boolean;
  /**
   * Each trial played, as the end-of-session summary and a resumed session's map read it: full
   * trials (with samples) go out as effects.
   */
  summaryTrials: PlayedTrial[];
  restShown: number;
  /** When the rest in progress began (wall clock); a snapshot saved in a rest carries it. */
  restStartedAt: string | null;
  /**
   * The rest a reloaded page was in, by the snapshot (null once the first step after the reload
   * was taken): it goes on from where it stands by the wall clock, not again from its start.
   */
  restBeforeReload: string | null;
  startedAt: string;
  /**
   * The set-end rating due and not answered yet: from the frame that judged the set's last trial
   * (a reload from then on asks it), until answered (a pause leaves it due).
   */
  ratingDue: { setIndex: number; arm: Arm } | null;
  /** The next trial announces itself even mid-set: the patient comes back after a reload. */
  announceNext: boolean;
  readonly recorder: MovementRecorder;
  /** The latest frame's tracking (a copy: the caller reuses its object). */
  readonly input: FrameInput;
  /** This step's effects; the array is reused, valid until the next step. */
  readonly effects: SessionEffect[];
}

const DEFAULT_COLOUR_NAMES = displayStyle(DEFAULT_PRESETS).palette.names;

/** The plan a session plays: the patient's (or the default), with automation's overrides. */
export function sessionPlanOf(plan: SessionPlan | null, options: SessionOptions): SessionPlan {
  const base = plan ?? DEFAULT_PLAN;
  const tasks = options.tasks;
  const assessment = options.assessment ?? (tasks ? false : base.assessment);
  const played = tasks
    ? {
        ...base,
        assessment,
        tasks: tasks.map((t) => ({ task: t.task, sets: 1, repetitions: t.repetitions })),
      }
    : { ...base, assessment };
  return options.restSeconds !== null ? { ...played, restSeconds: options.restSeconds } : played;
}

/**
 * An arm's map from the server's snapshot (of that arm), else an empty one; a resumed session's
 * own trials in it as the session counted them (`resumedPerformanceMap`).
 */
function mapOf(
  snapshot: MapSnapshot | undefined,
  arm: Arm,
  resume: ResumeSnapshot | null,
): PerformanceMapState {
  const resumed = resume === null ? null : resumedPerformanceMap(arm, snapshot, resume);
  if (resumed !== null) return resumed;
  return snapshot !== undefined && snapshot.arm === arm
    ? mapFromSnapshot(snapshot)
    : createPerformanceMap(arm);
}

/**
 * A new session (or one taken up again), before its first frame. Its `view` already shows the
 * session's id, first arm, task and level (and a resumed session's score and progress).
 */
export function createSession(config: SessionConfig): SessionState {
  const resume = config.resume ?? null;
  let plan = sessionPlanOf(config.plan, config.options);
  const timeLimit = config.options.timeLimit;
  const planned = plan.difficulty;
  let difficulty: ArmDifficulty = timeLimit
    ? {
        left: mergeDifficulty(planned.left, { timeLimit }),
        right: mergeDifficulty(planned.right, { timeLimit }),
      }
    : planned;
  let levels: Record<Arm, number> = {
    left: clampLevel(config.levels.left ?? plan.startLevel.left, difficulty.left),
    right: clampLevel(config.levels.right ?? plan.startLevel.right, difficulty.right),
  };
  const firstArm = plan.arm === 'alternate' ? plan.firstArm : plan.arm;
  const view = initialView();
  const state: SessionState = {
    config,
    sessionId: resume?.sessionId ?? config.newId(),
    colourNames: config.colourNames ?? DEFAULT_COLOUR_NAMES,
    things: config.things ?? PLAIN_THINGS,
    phase: 'idle',
    view,
    plan,
    difficulty,
    levels,
    levelStart: levels[firstArm],
    workspaces: {},
    calibrationRun: null,
    step: null,
    assessmentTargets: null,
    assessmentSeed: resume?.assessmentSeed ?? config.seed,
    run: null,
    target: [0, 0, 0],
    objectStart: [0, 0, 0],
    trialStartedAt: '',
    phaseEndsAt: 0,
    trialsDone: 0,
    restsDone: 0,
    elapsed: 0,
    lastT: -1,
    now: 0,
    stopped: false,
    taskOverride: null,
    armOverride: null,
    placement: plan.placement,
    maps: {
      left: mapOf(config.performanceMaps?.left, 'left', resume),
      right: mapOf(config.performanceMaps?.right, 'right', resume),
    },
    // Balanced is what placement does without a plan saying otherwise: nothing to explain then.
    placementSummaries: {
      left: { mode: 'balanced', sectors: [] },
      right: { mode: 'balanced', sectors: [] },
    },
    placementReason: null,
    random: seededRandom(config.seed),
    lastSelect: false,
    lastGrab: false,
    summaryTrials: [],
    restShown: -1,
    restStartedAt: null,
    restBeforeReload: null,
    startedAt: '',
    ratingDue: null,
    announceNext: false,
    recorder: new MovementRecorder(),
    input: createFrameInput(),
    effects: [],
  };
  let arm = firstArm;
  let task = plan.tasks[0]!.task;
  if (resume !== null) {
    plan = state.plan = resume.plan;
    // The therapist's live placement, and what it last did, as before the reload.
    state.placement = resume.placement ?? plan.placement;
    if (resume.placementSummaries !== undefined)
      state.placementSummaries = { ...resume.placementSummaries };
    state.placementReason = resume.placementReason ?? null;
    difficulty = state.difficulty = resume.difficulty;
    levels = state.levels = { ...resume.levels };
    state.levelStart = resume.levelStart;
    state.trialsDone = resume.trialsDone;
    state.restsDone = resume.restsDone;
    state.elapsed = resume.elapsedActiveSeconds;
    state.restBeforeReload = resume.restStartedAt ?? null;
    state.taskOverride = resume.taskOverride;
    state.armOverride = resume.armOverride;
    state.summaryTrials = [...resume.summaryTrials];
    state.startedAt = resume.startedAt;
    const step = nextStep(plan, {
      trialsDone: state.trialsDone,
      restsDone: state.restsDone,
      elapsedActiveSeconds: state.elapsed,
      stopped: false,
    });
    if (step.kind === 'trial') {
      arm = state.armOverride ?? step.arm;
      task = state.taskOverride ?? step.task;
    }
    let hits = 0;
    for (const t of resume.summaryTrials) if (t.outcome === 'hit') hits++;
    Object.assign(view, {
      trialNumber: resume.trialsDone,
      hits,
      score: resume.score,
      streak: resume.streak,
      bestStreak: resume.bestStreak,
      elapsedSeconds: Math.floor(resume.elapsedActiveSeconds),
    });
  }
  Object.assign(view, {
    mode: config.mode,
    sessionId: state.sessionId,
    placement: state.placement,
    difficulty,
    arm,
    task,
    level: levels[arm],
    params: difficultyParams(levels[arm], difficulty[arm]),
  });
  return state;
}
