import {
  clampLevel,
  DEFAULT_PLAN,
  difficultyParams,
  mergeDifficulty,
  nextStep,
  summarizeSession,
  taskTimeLimit,
  withDifficultyChange,
  type ArmDifficulty,
  totalTrials,
  type SessionPlan,
  type SummaryTrial,
  type TrialStep,
} from '../../../shared/clinical';
import type {
  Arm,
  Calibration,
  ControlCommand,
  Posture,
  Task,
  Trial,
  Vec3,
  Workspace,
} from '../../../shared/protocol';
import {
  CALIBRATION_INSTRUCTIONS,
  calibrationResult,
  currentDirection,
  feedCalibration,
  isCalibrationDone,
  startCalibration,
  type CalibrationRun,
} from '../../../shared/game/calibration';
import { placeGoal, placeGraspObject, placeTarget } from '../../../shared/game/placement';
import { DEFAULT_PRESETS, displayStyle } from '../../../shared/game/display-presets';
import {
  type ColourNames,
  pausedInstruction,
  restInstruction,
  taskInstruction,
  timeUpInstruction,
} from '../../../shared/game/instructions';
import { seededRandom } from '../../../shared/game/random';
import { MovementRecorder } from '../../../shared/game/recorder';
import { scoreTrial } from '../../../shared/game/scoring';
import {
  graspGoalEnter,
  graspObjectContact,
  graspPress,
  graspRelease,
  graspTick,
  holdTargetEnter,
  holdTargetExit,
  holdTick,
  armOnLeaving,
  effectorInsideTarget,
  startTrial,
  touchTargetEnter,
  touchTick,
  type TrialRun,
} from '../../../shared/game/tasks';
import { buildTrial, judgeTrial, windowEnd } from '../../../shared/game/trial-record';
import type { ResumeSnapshot } from '../../../shared/game/session-resume';
import { TRUNK_CUE } from '../../../shared/game/trunk-cue';
import { isInsideWorkspace, recentreWorkspace } from '../../../shared/game/workspace';
import type { FrameInput } from './frame-input';
import type { GameOptions } from './options';
import { useGame, type PausedBy, type SceneTarget } from './store';
import { toWorld } from './anchor';

/** Where the engine's records go: the outbox when paired, nowhere in practice. */
export interface SessionSink {
  sessionStarted(payload: { sessionId: string; mode: 'live' | 'home'; startedAt: string }): void;
  trialFinished(trial: Trial): void;
  sessionEnded(payload: {
    sessionId: string;
    endedAt: string;
    reason: 'plan_complete' | 'time_up' | 'patient' | 'therapist';
  }): void;
  calibrationSaved(calibration: Calibration): void;
  /**
   * The session made progress (started, a trial or a rest done, a change applied): what a reloaded
   * page needs to take it up again. Not called once it has ended.
   */
  progressed?(snapshot: Omit<ResumeSnapshot, 'patientId'>): void;
}

/** Effects the scene plays (sound, haptics, speech); the engine only says what happened. */
export interface GameEffects {
  say(text: string): void;
  contact(position: Vec3, arm: Arm): void;
  success(position: Vec3, arm: Arm): void;
  miss(): void;
  trunkCue(): void;
  confirm(): void;
}

type Phase =
  'idle' | 'calibrating' | 'instructions' | 'running' | 'feedback' | 'rest' | 'paused' | 'ended';

const iso = () => new Date().toISOString();
const DEFAULT_DWELL = 1;

export interface EngineSetup {
  mode: 'paired' | 'practice';
  live: boolean;
  plan: SessionPlan | null;
  /** Each arm's stored level; an arm without one starts at the plan's `startLevel`. */
  levels: Partial<Record<Arm, number>>;
  posture?: Posture;
  calibration: Calibration | null;
  options: GameOptions;
  sink: SessionSink;
  effects: GameEffects;
  /** The frame loop's tracking object, also read for transitions a command triggers. */
  input: FrameInput;
  /**
   * A session this page takes up again after a reload (`decideResume` said so): its id, plan,
   * progress and levels replace a new session's.
   */
  resume?: ResumeSnapshot | null;
  /** Names of the colours drawn now (display presets), so instructions say what is seen. */
  colourNames?: () => ColourNames;
}

const DEFAULT_COLOUR_NAMES = displayStyle(DEFAULT_PRESETS).palette.names;

/** The plan a session plays: the patient's (or the default), with automation's overrides. */
export function sessionPlanOf(plan: SessionPlan | null, options: GameOptions): SessionPlan {
  const base = plan ?? DEFAULT_PLAN;
  const tasks = options.tasks;
  const played = tasks
    ? {
        ...base,
        tasks: tasks.map((t) => ({ task: t.task, sets: 1, repetitions: t.repetitions })),
      }
    : base;
  return options.restSeconds !== null ? { ...played, restSeconds: options.restSeconds } : played;
}

/**
 * The session on the headset: calibration, the plan's steps, trials and their judgement, pauses and
 * the therapist's commands. The rules it applies are the pure ones in shared/; this class only
 * sequences them in time and publishes what changed to the store.
 */
export class GameEngine {
  readonly sessionId: string;
  readonly recorder = new MovementRecorder();
  private phase: Phase = 'idle';
  private plan: SessionPlan;
  /** Each arm's settings: the plan's, with this session's live changes. */
  private difficulty: ArmDifficulty;
  private levels: Record<Arm, number>;
  private levelStart: number;
  private workspaces: Partial<Record<Arm, Workspace>> = {};
  private calibrationRun: CalibrationRun | null = null;
  private step: TrialStep | null = null;
  private run: TrialRun | null = null;
  private target: Vec3 = [0, 0, 0];
  private objectStart: Vec3 = [0, 0, 0];
  private trialStartedAt = '';
  private phaseEndsAt = 0;
  private trialsDone = 0;
  private restsDone = 0;
  private elapsed = 0;
  private lastT = -1;
  private stopped = false;
  private taskOverride: Task | null = null;
  private armOverride: Arm | null = null;
  private random: () => number;
  private lastSelect = false;
  private lastGrab = false;
  /** Only what the end-of-session summary reads: full trials (with samples) live in the outbox. */
  private summaryTrials: SummaryTrial[] = [];
  private restShown = -1;
  private startedAt = '';
  /** The next trial announces itself even mid-set: the patient comes back after a reload. */
  private announceNext = false;
  recenterRequested = false;

  constructor(private readonly setup: EngineSetup) {
    const resume = setup.resume ?? null;
    this.sessionId = resume?.sessionId ?? crypto.randomUUID();
    this.plan = sessionPlanOf(setup.plan, setup.options);
    const timeLimit = setup.options.timeLimit;
    const planned = this.plan.difficulty;
    this.difficulty = timeLimit
      ? {
          left: mergeDifficulty(planned.left, { timeLimit }),
          right: mergeDifficulty(planned.right, { timeLimit }),
        }
      : planned;
    this.levels = {
      left: clampLevel(setup.levels.left ?? this.plan.startLevel.left, this.difficulty.left),
      right: clampLevel(setup.levels.right ?? this.plan.startLevel.right, this.difficulty.right),
    };
    this.random = seededRandom(setup.options.seed ?? Math.floor(Math.random() * 2 ** 31));
    const firstArm = this.plan.arm === 'alternate' ? this.plan.firstArm : this.plan.arm;
    this.levelStart = this.levels[firstArm];
    let arm = firstArm;
    let task = this.plan.tasks[0]!.task;
    if (resume !== null) {
      this.plan = resume.plan;
      this.difficulty = resume.difficulty;
      this.levels = { ...resume.levels };
      this.levelStart = resume.levelStart;
      this.trialsDone = resume.trialsDone;
      this.restsDone = resume.restsDone;
      this.elapsed = resume.elapsedActiveSeconds;
      this.taskOverride = resume.taskOverride;
      this.armOverride = resume.armOverride;
      this.summaryTrials = [...resume.summaryTrials];
      this.startedAt = resume.startedAt;
      const step = nextStep(this.plan, this.progress());
      if (step.kind === 'trial') {
        arm = this.armOverride ?? step.arm;
        task = this.taskOverride ?? step.task;
      }
      useGame.setState({
        trialNumber: resume.trialsDone,
        score: resume.score,
        streak: resume.streak,
        bestStreak: resume.bestStreak,
        elapsedSeconds: Math.floor(resume.elapsedActiveSeconds),
      });
    }
    useGame.setState({
      mode: setup.mode,
      sessionId: this.sessionId,
      arm,
      task,
      level: this.levels[arm],
      params: difficultyParams(this.levels[arm], this.difficulty[arm]),
    });
  }

  private progress() {
    return {
      trialsDone: this.trialsDone,
      restsDone: this.restsDone,
      elapsedActiveSeconds: this.elapsed,
      stopped: this.stopped,
    };
  }

  /** Hands the sink what a reloaded page needs to continue this session where it stands now. */
  private saveProgress(): void {
    const progressed = this.setup.sink.progressed;
    if (progressed === undefined || this.phase === 'ended' || this.phase === 'idle') return;
    const game = useGame.getState();
    progressed({
      version: 1,
      sessionId: this.sessionId,
      mode: this.setup.resume?.mode ?? (this.setup.live ? 'live' : 'home'),
      startedAt: this.startedAt,
      savedAt: iso(),
      plan: this.plan,
      trialsDone: this.trialsDone,
      restsDone: this.restsDone,
      elapsedActiveSeconds: this.elapsed,
      levels: { ...this.levels },
      levelStart: this.levelStart,
      difficulty: this.difficulty,
      taskOverride: this.taskOverride,
      armOverride: this.armOverride,
      score: game.score,
      streak: game.streak,
      bestStreak: game.bestStreak,
      summaryTrials: this.summaryTrials,
    });
  }

  get plannedTrials(): number {
    return totalTrials(this.plan);
  }

  get now(): number {
    return this.lastT;
  }

  /** The arm being trained now: its effector is recorded and drives the targets. */
  get activeArm(): Arm {
    return useGame.getState().arm;
  }

  get trialRun(): TrialRun | null {
    return this.run;
  }

  /** The next target while its instruction shows (for the ghost demonstration). */
  get upcomingTarget(): Vec3 | null {
    return this.phase === 'instructions' ? this.target : null;
  }

  get calibrating(): CalibrationRun | null {
    return this.calibrationRun;
  }

  /** First XR frame: the session starts and the stored calibration is centred on today's body. */
  begin(input: FrameInput): void {
    this.lastT = input.t;
    const calibration = this.setup.calibration;
    for (const arm of ['left', 'right'] as const) {
      const ws = calibration?.[arm];
      if (ws) this.workspaces[arm] = recentreWorkspace(ws, input.head);
    }
    const resume = this.setup.resume ?? null;
    if (resume === null) this.startedAt = iso();
    // Sent again for a resumed session: the server takes it up on this socket (idempotent), after
    // whatever the outbox still holds of it.
    this.setup.sink.sessionStarted({
      sessionId: this.sessionId,
      mode: resume?.mode ?? (this.setup.live ? 'live' : 'home'),
      startedAt: this.startedAt,
    });
    this.announceNext = resume !== null;
    this.advance(input);
    this.saveProgress();
  }

  frame(input: FrameInput): void {
    if (this.phase === 'idle') {
      this.begin(input);
      return;
    }
    const dt = this.lastT < 0 ? 0 : Math.max(0, Math.min(0.25, input.t - this.lastT));
    this.lastT = input.t;
    const arm = this.activeArm;
    const other: Arm = arm === 'right' ? 'left' : 'right';
    if (this.phase !== 'paused' && this.phase !== 'ended') {
      this.recorder.push(input.t, input.effector[arm], input.effector[other], input.head);
      this.elapsed += dt;
    }
    const select = input.select[arm];
    const selectEdge = select && !this.lastSelect;
    this.lastSelect = select;
    const grab = input.grab[arm] || select;
    const grabEdge = grab && !this.lastGrab;
    const releaseEdge = !grab && this.lastGrab;
    this.lastGrab = grab;

    switch (this.phase) {
      case 'calibrating':
        this.calibrate(input, selectEdge);
        break;
      case 'instructions':
        if (input.t >= this.phaseEndsAt) this.beginTrial(input.t);
        break;
      case 'running':
        this.runTrial(input, grabEdge, releaseEdge);
        break;
      case 'feedback':
        // A grasp's release (the hand opening after the goal) is one of its measured phases.
        if (releaseEdge && this.run?.task === 'grasp') graspRelease(this.run, input.t);
        if (input.t >= this.phaseEndsAt) this.concludeTrial(input);
        break;
      case 'rest':
        this.rest(input);
        break;
      default:
        break;
    }
    const shown = useGame.getState();
    if (
      Math.floor(this.elapsed) !== Math.floor(shown.elapsedSeconds) ||
      input.inputMode !== shown.inputMode
    )
      useGame.setState({ elapsedSeconds: Math.floor(this.elapsed), inputMode: input.inputMode });
  }

  private calibrate(input: FrameInput, selectEdge: boolean): void {
    const run = this.calibrationRun!;
    const arm = run.arm;
    if (!input.tracked[arm]) return;
    const confirmed = feedCalibration(run, input.t, input.effector[arm], selectEdge);
    if (confirmed === null) return;
    this.setup.effects.confirm();
    const next = currentDirection(run);
    if (next !== null) {
      this.say(CALIBRATION_INSTRUCTIONS[next]);
      useGame.setState({ calibrationStep: next, instruction: CALIBRATION_INSTRUCTIONS[next] });
      return;
    }
    if (!isCalibrationDone(run)) return;
    const workspace = calibrationResult(run, iso());
    this.workspaces[arm] = workspace;
    this.calibrationRun = null;
    useGame.setState({ workspace, calibrationStep: null });
    this.setup.sink.calibrationSaved({ ...this.workspaces });
    this.advance(input);
  }

  /** Moves to whatever the plan says comes next. */
  private advance(input: FrameInput): void {
    const step = nextStep(this.plan, this.progress());
    if (step.kind === 'end') {
      if (step.reason === 'time_up') this.pause('time_up');
      else this.finish(step.reason === 'stopped' ? 'therapist' : 'plan_complete');
      return;
    }
    if (step.kind === 'rest') {
      this.phase = 'rest';
      this.phaseEndsAt = input.t + step.seconds;
      this.restShown = -1;
      this.setPublic({
        status: 'rest',
        targets: [],
        instruction: restInstruction(step.nextTask, input.inputMode, this.colourNames()),
        restSecondsLeft: step.seconds,
      });
      this.say('Time for a short rest.');
      return;
    }
    this.step = step;
    const arm = this.armOverride ?? step.arm;
    const task = this.taskOverride ?? step.task;
    const workspace = this.workspaces[arm];
    if (!workspace) {
      this.beginCalibration(arm, input);
      return;
    }
    this.prepareTrial(step, task, arm, workspace, input.t);
  }

  private beginCalibration(arm: Arm, input: FrameInput): void {
    this.phase = 'calibrating';
    this.calibrationRun = startCalibration(arm, this.setup.posture ?? 'seated', input.head, {
      holdSeconds: this.setup.options.calibrationHoldSeconds,
      stillRadius: 0.03,
      minTravel: 0.1,
    });
    const direction = currentDirection(this.calibrationRun)!;
    const instruction = `Let's measure your ${arm} arm. ${CALIBRATION_INSTRUCTIONS[direction]}`;
    this.setPublic({
      status: 'calibrating',
      arm,
      calibrationStep: direction,
      instruction,
      targets: [],
      restSecondsLeft: null,
    });
    this.say(instruction);
  }

  private prepareTrial(step: TrialStep, task: Task, arm: Arm, ws: Workspace, t: number): void {
    const level = this.levels[arm];
    const params = difficultyParams(level, this.difficulty[arm]);
    this.objectStart = placeGraspObject(ws);
    this.target =
      task === 'grasp'
        ? placeGoal(ws, params, this.random, this.objectStart)
        : placeTarget(ws, params, this.random, this.setup.input.effector[arm]);
    const game = useGame.getState();
    const announce =
      this.announceNext || step.firstOfSet || task !== game.task || game.trialNumber === 0;
    this.announceNext = false;
    const instruction = taskInstruction(task, this.setup.input.inputMode, this.colourNames());
    this.phase = 'instructions';
    this.phaseEndsAt =
      t + (announce ? this.setup.options.instructionSeconds : this.setup.options.interTrialSeconds);
    this.setPublic({
      status: 'instructions',
      task,
      arm,
      set: step.set,
      level,
      params,
      workspace: ws,
      instruction,
      targets: [],
      restSecondsLeft: null,
      feedback: announce ? '' : game.feedback,
    });
    if (announce) this.say(instruction);
  }

  private colourNames(): ColourNames {
    return this.setup.colourNames?.() ?? DEFAULT_COLOUR_NAMES;
  }

  private targetRadius(): number {
    return useGame.getState().params.targetRadius;
  }

  private sceneTargets(task: Task): SceneTarget[] {
    const radius = this.targetRadius();
    const make = (id: string, kind: SceneTarget['kind'], position: Vec3, r: number) => ({
      id,
      kind,
      position,
      worldPosition: toWorld(position),
      radius: r,
    });
    return task === 'grasp'
      ? [
          make('object', 'object', this.objectStart, 0.035),
          make('goal', 'goal', this.target, radius),
        ]
      : [make('target', 'target', this.target, radius)];
  }

  private beginTrial(t: number): void {
    const game = useGame.getState();
    const dwell = this.setup.options.holdSeconds ?? this.step?.holdSeconds ?? DEFAULT_DWELL;
    this.run = startTrial(
      game.task,
      t,
      taskTimeLimit(game.task, game.params.timeLimit),
      dwell,
      game.task !== 'grasp' && this.handInsideTarget(),
    );
    this.trialStartedAt = iso();
    this.phase = 'running';
    this.setPublic({
      status: 'running',
      trialNumber: this.trialsDone + 1,
      targets: this.sceneTargets(game.task),
    });
  }

  private handInsideTarget(): boolean {
    const hand = this.setup.input.effector[this.activeArm];
    const target = this.target;
    const gap = Math.hypot(hand[0] - target[0], hand[1] - target[1], hand[2] - target[2]);
    return effectorInsideTarget(gap, this.targetRadius());
  }

  private runTrial(input: FrameInput, grabEdge: boolean, releaseEdge: boolean): void {
    const run = this.run!;
    // A missed exit event must not leave a target untouchable.
    if (!run.armed && !this.handInsideTarget()) armOnLeaving(run);
    if (run.task === 'grasp') {
      if (grabEdge) graspPress(run, input.t);
      if (releaseEdge) graspRelease(run, input.t);
      graspTick(run, input.t);
    } else if (run.task === 'hold') {
      holdTick(run, input.t);
    } else {
      touchTick(run, input.t);
    }
    if (run.done) this.endTrial();
  }

  /** Physics: the effector entered the target sphere (touch/hold). */
  targetEntered(): void {
    const run = this.run;
    if (this.phase !== 'running' || run === null) return;
    if (run.task === 'touch') {
      if (touchTargetEnter(run, this.lastT)) this.endTrial();
    } else if (run.task === 'hold' && run.armed) {
      holdTargetEnter(run, this.lastT);
      this.setup.effects.contact(this.target, this.activeArm);
    }
  }

  targetExited(): void {
    if (this.run?.task === 'hold') holdTargetExit(this.run);
    else if (this.run?.task === 'touch') armOnLeaving(this.run);
  }

  /** Physics: the effector touches the grasp object or stopped touching it. */
  objectContact(touching: boolean): void {
    if (this.run?.task !== 'grasp') return;
    graspObjectContact(this.run, touching, this.lastT);
    if (touching) this.setup.effects.contact(this.objectStart, this.activeArm);
  }

  /** Physics: the effector, and with it any carried object, entered the goal zone. */
  goalEntered(): void {
    const run = this.run;
    if (this.phase !== 'running' || run === null || run.task !== 'grasp') return;
    if (graspGoalEnter(run, this.lastT)) this.endTrial();
  }

  /** Grasp: whether the object follows the effector now. */
  get holdingObject(): boolean {
    return this.phase === 'running' && this.run?.holding === true;
  }

  private endTrial(): void {
    const run = this.run!;
    this.phase = 'feedback';
    this.phaseEndsAt = windowEnd(run);
    if (run.reached) this.setup.effects.success(this.target, this.activeArm);
    else this.setup.effects.miss();
    this.setPublic({
      targets: [],
      feedback: run.reached ? 'Well done!' : 'Time is up — next one.',
    });
  }

  private concludeTrial(input: FrameInput): void {
    const run = this.run!;
    const step = this.step!;
    const game = useGame.getState();
    const arm = game.arm;
    const trialNumber = this.trialsDone + 1;
    const end = windowEnd(run);
    const window = this.recorder.window(run.tGo, end);
    const verdict = judgeTrial({
      run,
      level: this.levels[arm],
      difficulty: this.difficulty[arm],
      trialNumber,
      target: this.target,
      targetRadius: game.params.targetRadius,
      window,
      posture: this.setup.posture ?? 'seated',
    });
    const trial = buildTrial({
      id: crypto.randomUUID(),
      sessionId: this.sessionId,
      trialNumber,
      task: run.task,
      arm,
      set: step.set,
      startedAt: this.trialStartedAt,
      endedAt: iso(),
      target: this.target,
      tContact: run.tContact,
      inputMode: input.inputMode === 'hands' ? 'hands' : 'controllers',
      verdict,
      run,
    });
    this.levels[arm] = verdict.update.level;
    this.summaryTrials.push({
      outcome: trial.outcome,
      levelBefore: trial.levelBefore,
      levelAfter: trial.levelAfter,
      metrics: trial.metrics,
    });
    this.setup.sink.trialFinished(trial);
    const score = scoreTrial(game, trial.outcome);
    const ws = this.workspaces[arm];
    if (verdict.trunkCompensation) this.setup.effects.trunkCue();
    this.setPublic({
      ...score,
      level: verdict.update.level,
      params: verdict.update.params,
      feedback: verdict.trunkCompensation
        ? TRUNK_CUE[this.setup.posture ?? 'seated'].message
        : trial.outcome === 'hit'
          ? `Great! Streak ${score.streak}`
          : 'Next one — you can do it.',
      trials: [
        ...game.trials,
        {
          trialNumber,
          task: run.task,
          arm,
          outcome: trial.outcome,
          tContact: trial.tContact,
          levelBefore: trial.levelBefore,
          levelAfter: trial.levelAfter,
          reason: trial.reason,
          target: this.target,
          insideWorkspace: ws ? isInsideWorkspace(ws, this.target) : false,
          trunkCompensation: trial.trunkCompensation,
          movementTime: trial.metrics.movementTime,
          pathRatio: trial.metrics.pathRatio,
          peakSpeed: trial.metrics.peakSpeed,
          sparc: trial.metrics.sparc,
          flags: trial.metrics.flags,
        },
      ],
    });
    this.run = null;
    this.trialsDone += 1;
    this.advance(input);
    this.saveProgress();
  }

  private rest(input: FrameInput): void {
    const left = Math.max(0, Math.ceil(this.phaseEndsAt - input.t));
    if (left !== this.restShown) {
      this.restShown = left;
      useGame.setState({ restSecondsLeft: left });
    }
    if (input.t >= this.phaseEndsAt) {
      this.restsDone += 1;
      this.advance(input);
      this.saveProgress();
    }
  }

  private say(text: string): void {
    this.setup.effects.say(text);
  }

  private setPublic(patch: Partial<ReturnType<typeof useGame.getState>>): void {
    useGame.setState(patch);
  }

  /** Pausing abandons a running trial: it is not counted and is offered again on resume. */
  pause(by: NonNullable<PausedBy>): void {
    if (this.phase === 'ended' || this.phase === 'paused' || this.phase === 'idle') return;
    this.phase = 'paused';
    this.run = null;
    this.setPublic({
      status: 'paused',
      pausedBy: by,
      targets: [],
      restSecondsLeft: null,
      instruction:
        by === 'time_up'
          ? timeUpInstruction(this.setup.input.inputMode)
          : pausedInstruction(this.setup.input.inputMode),
    });
    this.say(by === 'time_up' ? 'Time is up. Well done!' : 'Paused.');
    this.saveProgress();
  }

  resume(): void {
    if (this.phase !== 'paused') return;
    if (useGame.getState().pausedBy === 'time_up') {
      this.finish('time_up');
      return;
    }
    this.setPublic({ pausedBy: null });
    this.phase = 'instructions';
    this.calibrationRun = null;
    this.advanceFrom();
  }

  private advanceFrom(): void {
    this.advance(this.setup.input);
  }

  end(reason: 'patient' | 'therapist'): void {
    if (this.phase === 'ended') return;
    this.finish(reason);
  }

  private finish(reason: 'plan_complete' | 'time_up' | 'patient' | 'therapist'): void {
    this.phase = 'ended';
    this.run = null;
    const game = useGame.getState();
    const summary = summarizeSession(this.summaryTrials);
    this.setup.sink.sessionEnded({ sessionId: this.sessionId, endedAt: iso(), reason });
    this.setPublic({
      status: 'ended',
      targets: [],
      restSecondsLeft: null,
      instruction: 'All done. Thank you!',
      summary: {
        ...summary,
        levelStart: this.levelStart,
        levelEnd: this.levels[game.arm],
        bestStreak: game.bestStreak,
      },
    });
    this.say('All done. Thank you!');
  }

  /** A therapist's command, applied at once; returns an error message when it cannot be. */
  apply(command: ControlCommand): string | null {
    useGame.setState({ lastCommand: command.type });
    switch (command.type) {
      case 'pause':
        if (this.phase === 'ended') return 'the session has ended';
        this.pause('therapist');
        return null;
      case 'resume':
        if (this.phase !== 'paused') return 'the session is not paused';
        this.resume();
        return null;
      case 'end':
        this.end('therapist');
        return null;
      case 'recenter':
        this.recenterRequested = true;
        return null;
      case 'setTask':
        this.taskOverride = command.task;
        this.restartStep();
        this.saveProgress();
        return null;
      case 'setArm':
        this.armOverride = command.arm;
        this.restartStep();
        this.saveProgress();
        return null;
      case 'setDifficulty': {
        // One arm only: the other arm keeps its settings and its level.
        const { arm, change } = command;
        let next: ArmDifficulty;
        try {
          next = withDifficultyChange(this.difficulty, arm, change);
        } catch (e) {
          return e instanceof Error ? e.message.slice(0, 300) : 'invalid difficulty';
        }
        this.difficulty = next;
        this.levels[arm] = clampLevel(change.level ?? this.levels[arm], next[arm]);
        if (arm !== useGame.getState().arm) return null;
        this.setPublic({
          level: this.levels[arm],
          params: difficultyParams(this.levels[arm], next[arm]),
        });
        if (this.phase === 'instructions' || this.phase === 'running') this.restartStep();
        this.saveProgress();
        return null;
      }
    }
  }

  /** A change of task, arm or difficulty takes effect with a fresh trial. */
  private restartStep(): void {
    if (this.phase !== 'instructions' && this.phase !== 'running') return;
    this.run = null;
    this.advanceFrom();
  }
}
