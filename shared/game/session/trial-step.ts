import {
  ASSESSMENT_PARAMS,
  difficultyParams,
  taskTimeLimit,
  type AssessmentTarget,
  type TrialStep,
} from '../../clinical';
import {
  addTrialToMap,
  chosenSectors,
  explainPlacementChange,
  personalTrial,
  placePersonalTarget,
  placementFor,
  summarizePlacement,
} from '../../clinical/personal';
import type { Arm, Task, Vec3, Workspace } from '../../protocol';
import { taskInstruction } from '../instructions';
import { placeGoal, placeGraspObject } from '../placement';
import { scoreTrial } from '../scoring';
import {
  armOnLeaving,
  effectorInsideTarget,
  graspGoalEnter,
  graspObjectContact,
  graspPress,
  graspRelease,
  graspTick,
  HAND_GRASP_REACH_M,
  holdTargetEnter,
  holdTargetExit,
  holdTick,
  startTrial,
  touchTargetEnter,
  touchTick,
} from '../tasks';
import { buildTrial, judgeTrial, windowEnd } from '../trial-record';
import { TRUNK_CUE } from '../trunk-cue';
import { isInsideWorkspace } from '../workspace';
import { contactFeedback, emit, isoNow, publish, say, sound, successFeedback } from './emit';
import type { SessionState } from './state';
import type { SceneTarget } from './view';

const DEFAULT_DWELL = 1;
/** The grasp object's own size (its grab zone is the scene's). */
const OBJECT_RADIUS = 0.035;

/** Places the next trial's target(s) and shows its instruction (spoken when it is news). */
export function prepareTrial(
  state: SessionState,
  step: TrialStep,
  task: Task,
  arm: Arm,
  ws: Workspace,
): void {
  const level = state.levels[arm];
  const params = difficultyParams(level, state.difficulty[arm]);
  state.objectStart = placeGraspObject(ws);
  state.target =
    task === 'grasp'
      ? placeGoal(ws, params, state.random, state.objectStart)
      : placeReachTarget(state, arm, ws, params);
  const view = state.view;
  const announce =
    state.announceNext || step.firstOfSet || task !== view.task || view.trialNumber === 0;
  state.announceNext = false;
  const instruction = taskInstruction(task, state.input.inputMode, state.colourNames, state.things);
  const options = state.config.options;
  state.phase = 'instructions';
  state.phaseEndsAt =
    state.input.t + (announce ? options.instructionSeconds : options.interTrialSeconds);
  publish(state, {
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
    feedback: announce ? '' : view.feedback,
  });
  if (announce) say(state, instruction);
}

/** Said and shown before the standard reach test: to the patient it is a short warm-up. */
export const WARM_UP_WORDS = 'A short warm-up.';

/**
 * Shows a trial of the standard reach test: the core's fixed target (position, size, time limit)
 * in the world's normal dress, whatever the level; announced once, at the block's start.
 */
export function prepareAssessmentTrial(
  state: SessionState,
  step: TrialStep,
  target: AssessmentTarget,
  ws: Workspace,
): void {
  state.target = target.position;
  const view = state.view;
  const announce = state.announceNext || step.firstOfSet || target.arm !== view.arm;
  state.announceNext = false;
  const instruction = `${WARM_UP_WORDS} ${taskInstruction(target.task, state.input.inputMode, state.colourNames, state.things)}`;
  const options = state.config.options;
  state.phase = 'instructions';
  state.phaseEndsAt =
    state.input.t + (announce ? options.instructionSeconds : options.interTrialSeconds);
  publish(state, {
    status: 'instructions',
    task: target.task,
    arm: target.arm,
    set: step.set,
    level: state.levels[target.arm],
    params: ASSESSMENT_PARAMS,
    workspace: ws,
    instruction,
    targets: [],
    restSecondsLeft: null,
    feedback: announce ? '' : view.feedback,
  });
  if (announce) say(state, instruction);
}

/**
 * A touch or hold target under the session's placement, within the level's spread (a grasp's goal
 * goes beside its object as before). A change of what placement does for this arm (the mode, the
 * therapist's sectors, focus moving to other sectors) is explained once, on the next trial record.
 */
function placeReachTarget(
  state: SessionState,
  arm: Arm,
  ws: Workspace,
  params: ReturnType<typeof difficultyParams>,
): Vec3 {
  const map = state.maps[arm];
  const summary = summarizePlacement(state.placement.mode, map, chosenSectors(state.placement));
  const reason = explainPlacementChange(state.placementSummaries[arm], summary, map);
  state.placementSummaries[arm] = summary;
  if (reason !== null) state.placementReason = reason;
  return placePersonalTarget(
    ws,
    params,
    placementFor(state.placement, map),
    state.random,
    state.input.effector[arm],
  ).position;
}

function sceneTargets(state: SessionState, task: Task): SceneTarget[] {
  const radius = state.view.params.targetRadius;
  return task === 'grasp'
    ? [
        { id: 'object', kind: 'object', position: state.objectStart, radius: OBJECT_RADIUS },
        { id: 'goal', kind: 'goal', position: state.target, radius },
      ]
    : [{ id: 'target', kind: 'target', position: state.target, radius }];
}

function handInsideTarget(state: SessionState): boolean {
  const hand = state.input.effector[state.view.arm];
  const target = state.target;
  const gap = Math.hypot(hand[0] - target[0], hand[1] - target[1], hand[2] - target[2]);
  return effectorInsideTarget(gap, state.view.params.targetRadius);
}

/** A tracked hand's fingertip close enough to the grasp object to take it as it closes (grasp.ts). */
function closingHandNearObject(state: SessionState): boolean {
  if (state.input.inputMode !== 'hands') return false;
  const hand = state.input.effector[state.view.arm];
  const object = state.objectStart;
  const gap = Math.hypot(hand[0] - object[0], hand[1] - object[1], hand[2] - object[2]);
  return gap <= HAND_GRASP_REACH_M;
}

/** The instruction's time is over: the target appears and the trial's clock starts. */
export function beginTrial(state: SessionState): void {
  const view = state.view;
  const dwell = state.config.options.holdSeconds ?? state.step?.holdSeconds ?? DEFAULT_DWELL;
  state.run = startTrial(
    view.task,
    state.input.t,
    taskTimeLimit(view.task, view.params.timeLimit),
    dwell,
    view.task !== 'grasp' && handInsideTarget(state),
  );
  state.trialStartedAt = isoNow(state);
  state.phase = 'running';
  publish(state, {
    status: 'running',
    trialNumber: state.trialsDone + 1,
    targets: sceneTargets(state, view.task),
  });
}

/** A running frame: the task's clock, and a grasp's press and release. */
export function runTrial(state: SessionState, grabEdge: boolean, releaseEdge: boolean): void {
  const run = state.run!;
  const t = state.input.t;
  // A missed exit event must not leave a target untouchable.
  if (!run.armed && !handInsideTarget(state)) armOnLeaving(run);
  if (run.task === 'grasp') {
    if (grabEdge) graspPress(run, t, closingHandNearObject(state));
    if (releaseEdge) graspRelease(run, t);
    graspTick(run, t);
  } else if (run.task === 'hold') {
    holdTick(run, t);
  } else {
    touchTick(run, t);
  }
  if (run.done) endTrial(state);
}

/** Physics: the effector entered the target sphere (touch/hold). */
export function targetEntered(state: SessionState): void {
  const run = state.run;
  if (state.phase !== 'running' || run === null) return;
  if (run.task === 'touch') {
    if (touchTargetEnter(run, state.lastT)) endTrial(state);
  } else if (run.task === 'hold' && run.armed) {
    holdTargetEnter(run, state.lastT);
    contactFeedback(state, state.target, state.view.arm);
  }
}

export function targetExited(state: SessionState): void {
  if (state.run?.task === 'hold') holdTargetExit(state.run);
  else if (state.run?.task === 'touch') armOnLeaving(state.run);
}

/** Physics: the effector touches the grasp object or stopped touching it. */
export function objectContact(state: SessionState, touching: boolean): void {
  if (state.run?.task !== 'grasp') return;
  graspObjectContact(state.run, touching, state.lastT);
  if (touching) contactFeedback(state, state.objectStart, state.view.arm);
}

/** Physics: the effector, and with it any carried object, entered the goal zone. */
export function goalEntered(state: SessionState): void {
  const run = state.run;
  if (state.phase !== 'running' || run === null || run.task !== 'grasp') return;
  if (graspGoalEnter(run, state.lastT)) endTrial(state);
}

function endTrial(state: SessionState): void {
  const run = state.run!;
  state.phase = 'feedback';
  state.phaseEndsAt = windowEnd(run);
  if (run.reached) successFeedback(state, state.target, state.view.arm);
  else sound(state, 'miss');
  publish(state, {
    targets: [],
    feedback: run.reached ? 'Well done!' : 'Time is up — next one.',
  });
}

/** A feedback frame: a grasp's release (the hand opening after the goal) is one of its phases. */
export function feedbackFrame(state: SessionState, releaseEdge: boolean): boolean {
  if (releaseEdge && state.run?.task === 'grasp') graspRelease(state.run, state.input.t);
  return state.input.t >= state.phaseEndsAt;
}

/**
 * The trial's window is over: it is judged with the clinical rule, recorded, scored and shown.
 * The plan goes on from `state.step` (the step it belonged to) in the next frame.
 */
export function concludeTrial(state: SessionState): void {
  const run = state.run!;
  const step = state.step!;
  const view = state.view;
  const arm = view.arm;
  const posture = state.config.posture ?? 'seated';
  const trialNumber = state.trialsDone + 1;
  const target: Vec3 = state.target;
  const window = state.recorder.window(run.tGo, windowEnd(run));
  const verdict = judgeTrial({
    run,
    level: state.levels[arm],
    difficulty: state.difficulty[arm],
    trialNumber,
    target,
    targetRadius: view.params.targetRadius,
    window,
    posture,
    assessment: step.assessment !== null,
  });
  const trial = buildTrial({
    id: state.config.newId(),
    sessionId: state.sessionId,
    trialNumber,
    task: run.task,
    arm,
    set: step.set,
    startedAt: state.trialStartedAt,
    endedAt: isoNow(state),
    target,
    tContact: run.tContact,
    inputMode: state.input.inputMode === 'hands' ? 'hands' : 'controllers',
    verdict,
    run,
    assessment: step.assessment !== null,
    placementReason: state.placementReason,
  });
  state.placementReason = null;
  state.levels[arm] = verdict.update.level;
  const ws = state.workspaces[arm];
  const personal = personalTrial(trial, ws);
  addTrialToMap(state.maps[arm], personal);
  state.summaryTrials.push({
    outcome: trial.outcome,
    levelBefore: trial.levelBefore,
    levelAfter: trial.levelAfter,
    metrics: trial.metrics,
    arm,
    task: run.task,
    sector: personal.sector,
    assessment: trial.assessment === true,
  });
  emit(state, { type: 'record-trial', trial });
  const score = scoreTrial(
    { score: view.score, streak: view.streak, bestStreak: view.bestStreak },
    trial.outcome,
  );
  if (verdict.trunkCompensation) sound(state, 'cue');
  publish(state, {
    ...score,
    hits: trial.outcome === 'hit' ? view.hits + 1 : view.hits,
    level: verdict.update.level,
    params: verdict.update.params,
    feedback: verdict.trunkCompensation
      ? TRUNK_CUE[posture].message
      : trial.outcome === 'hit'
        ? `Great! Streak ${score.streak}`
        : 'Next one — you can do it.',
    trials: [
      ...view.trials,
      {
        trialNumber,
        task: run.task,
        arm,
        outcome: trial.outcome,
        tContact: trial.tContact,
        levelBefore: trial.levelBefore,
        levelAfter: trial.levelAfter,
        reason: trial.reason,
        target,
        insideWorkspace: ws ? isInsideWorkspace(ws, target) : false,
        trunkCompensation: trial.trunkCompensation,
        movementTime: trial.metrics.movementTime,
        pathRatio: trial.metrics.pathRatio,
        peakSpeed: trial.metrics.peakSpeed,
        sparc: trial.metrics.sparc,
        flags: trial.metrics.flags,
        assessment: trial.assessment === true,
      },
    ],
  });
  state.run = null;
  state.trialsDone += 1;
}
