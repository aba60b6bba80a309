import {
  assessmentBlock,
  nextStep,
  planArms,
  summarizeSession,
  type SessionProgress,
} from '../../clinical';
import { pausedInstruction, restInstruction, timeUpInstruction } from '../instructions';
import { recentreWorkspace } from '../workspace';
import { restedBeforeReload } from '../session-resume';
import { beginCalibration } from './calibration-step';
import type { SessionEndReason } from './effects';
import { emit, isoNow, publish, say } from './emit';
import { openRatingPrompt } from './rating-prompt';
import type { SessionState } from './state';
import { prepareAssessmentTrial, prepareTrial } from './trial-step';
import type { PausedBy } from './view';

export const progressOf = (state: SessionState): SessionProgress => ({
  trialsDone: state.trialsDone,
  restsDone: state.restsDone,
  elapsedActiveSeconds: state.elapsed,
  stopped: state.stopped,
});

const recordedMode = (state: SessionState): 'live' | 'home' =>
  state.config.resume?.mode ?? (state.config.live ? 'live' : 'home');

/** A pause in force that a reload must not end (the therapist's, a pain rating's). */
function heldPause(state: SessionState): 'therapist' | 'pain' | null {
  const by = state.phase === 'paused' ? state.view.pausedBy : null;
  return by === 'therapist' || by === 'pain' ? by : null;
}

/** Hands out what a reloaded page needs to continue this session where it stands now. */
export function saveProgress(state: SessionState): void {
  if (state.phase === 'ended' || state.phase === 'idle') return;
  const view = state.view;
  emit(state, {
    type: 'progress',
    snapshot: {
      version: 1,
      sessionId: state.sessionId,
      mode: recordedMode(state),
      startedAt: state.startedAt,
      savedAt: isoNow(state),
      plan: state.plan,
      trialsDone: state.trialsDone,
      assessmentSeed: state.assessmentSeed,
      restsDone: state.restsDone,
      elapsedActiveSeconds: state.elapsed,
      levels: { ...state.levels },
      levelStart: state.levelStart,
      difficulty: state.difficulty,
      taskOverride: state.taskOverride,
      armOverride: state.armOverride,
      score: view.score,
      streak: view.streak,
      bestStreak: view.bestStreak,
      summaryTrials: [...state.summaryTrials],
      placement: state.placement,
      placementSummaries: {
        left: state.placementSummaries.left,
        right: state.placementSummaries.right,
      },
      placementReason: state.placementReason,
      heldBy: heldPause(state),
      restStartedAt: state.phase === 'rest' ? state.restStartedAt : null,
      ratingDue: state.ratingDue,
    },
  });
}

/** First frame: the session starts and the stored calibration is centred on today's body. */
export function beginSession(state: SessionState): void {
  const input = state.input;
  state.lastT = input.t;
  const calibration = state.config.calibration;
  for (const arm of ['left', 'right'] as const) {
    const ws = calibration?.[arm];
    if (ws) state.workspaces[arm] = recentreWorkspace(ws, input.head);
  }
  const resume = state.config.resume ?? null;
  if (resume === null) state.startedAt = isoNow(state);
  // Sent again for a resumed session: the server takes it up on this socket (idempotent), after
  // whatever the outbox still holds of it.
  emit(state, {
    type: 'session-started',
    payload: { sessionId: state.sessionId, mode: recordedMode(state), startedAt: state.startedAt },
  });
  state.announceNext = resume !== null;
  // A resumed session stands where it stood: paused by the therapist or for pain until they
  // resume it, the set's rating asked again when it was not answered.
  state.ratingDue = resume?.ratingDue ?? null;
  const heldBy = resume?.heldBy ?? null;
  if (heldBy !== null) {
    state.phase = 'instructions';
    pause(state, heldBy);
    return;
  }
  if (state.ratingDue !== null) openRatingPrompt(state);
  else advance(state);
  saveProgress(state);
}

/** Moves to whatever the plan says comes next. */
export function advance(state: SessionState): void {
  const step = nextStep(state.plan, progressOf(state));
  const restBeforeReload = state.restBeforeReload;
  state.restBeforeReload = null;
  if (step.kind === 'end') {
    if (step.reason === 'time_up') pause(state, 'time_up');
    else finish(state, step.reason === 'stopped' ? 'therapist' : 'plan_complete');
    return;
  }
  if (step.kind === 'rest') {
    // A rest the page reloaded in goes on where it stands, and the part behind it counts as
    // active time as every rest's seconds do: a reload neither lengthens a rest nor loses them.
    const rested = restedBeforeReload(restBeforeReload, state.now, step.seconds);
    state.phase = 'rest';
    state.phaseEndsAt = state.input.t + step.seconds - rested;
    state.elapsed += rested;
    state.restStartedAt = rested > 0 ? restBeforeReload : isoNow(state);
    state.restShown = -1;
    publish(state, {
      status: 'rest',
      targets: [],
      instruction: restInstruction(
        step.nextTask,
        state.input.inputMode,
        state.colourNames,
        state.things,
      ),
      restSecondsLeft: Math.ceil(step.seconds - rested),
    });
    say(state, 'Time for a short rest.');
    return;
  }
  state.step = step;
  if (step.assessment !== null) {
    // The test is fixed: the therapist's task and arm changes apply from the first adaptive trial.
    const arms = planArms(state.plan);
    const uncalibrated = arms.find((a) => state.workspaces[a] === undefined);
    if (uncalibrated !== undefined) {
      beginCalibration(state, uncalibrated);
      return;
    }
    state.assessmentTargets ??= assessmentBlock(
      state.workspaces,
      arms,
      state.assessmentSeed,
    ).targets;
    const target = state.assessmentTargets[step.assessment]!;
    prepareAssessmentTrial(state, step, target, state.workspaces[target.arm]!);
    return;
  }
  const arm = state.armOverride ?? step.arm;
  const task = state.taskOverride ?? step.task;
  const workspace = state.workspaces[arm];
  if (!workspace) {
    beginCalibration(state, arm);
    return;
  }
  prepareTrial(state, step, task, arm, workspace);
}

/** A rest frame: the countdown shown in whole seconds, then on with the plan. */
export function rest(state: SessionState): void {
  const left = Math.max(0, Math.ceil(state.phaseEndsAt - state.input.t));
  if (left !== state.restShown) {
    state.restShown = left;
    publish(state, { restSecondsLeft: left });
  }
  if (state.input.t >= state.phaseEndsAt) {
    state.restsDone += 1;
    advance(state);
    saveProgress(state);
  }
}

const PAUSED_WORDS: Record<PausedBy, string> = {
  patient: 'Paused.',
  therapist: 'Paused.',
  headset_removed: 'Paused.',
  focus_lost: 'Paused.',
  time_up: 'Time is up. Well done!',
  pain: "Let's take a break. Your therapist has been told.",
};

/** Pausing abandons a running trial: it is not counted and is offered again on resume. */
export function pause(state: SessionState, by: PausedBy): void {
  if (state.phase === 'ended' || state.phase === 'paused' || state.phase === 'idle') return;
  state.phase = 'paused';
  state.run = null;
  const mode = state.input.inputMode;
  publish(state, {
    status: 'paused',
    pausedBy: by,
    targets: [],
    restSecondsLeft: null,
    rating: null,
    instruction: by === 'time_up' ? timeUpInstruction(mode) : pausedInstruction(mode),
  });
  say(state, PAUSED_WORDS[by]);
  saveProgress(state);
}

export function resume(state: SessionState): void {
  if (state.phase !== 'paused') return;
  if (state.view.pausedBy === 'time_up') {
    finish(state, 'time_up');
    return;
  }
  publish(state, { pausedBy: null });
  state.phase = 'instructions';
  state.calibrationRun = null;
  // A set-end rating interrupted by the pause is asked again before the plan goes on.
  if (state.ratingDue !== null) openRatingPrompt(state);
  else advance(state);
  // No longer paused: a reload from now on must not bring the pause back.
  saveProgress(state);
}

export function finish(state: SessionState, reason: SessionEndReason): void {
  state.phase = 'ended';
  state.run = null;
  const view = state.view;
  const summary = summarizeSession(state.summaryTrials);
  const test = { trials: 0, hits: 0 };
  for (const t of state.summaryTrials)
    if (t.assessment === true) {
      test.trials++;
      if (t.outcome === 'hit') test.hits++;
    }
  emit(state, {
    type: 'session-ended',
    payload: { sessionId: state.sessionId, endedAt: isoNow(state), reason },
  });
  publish(state, {
    status: 'ended',
    targets: [],
    restSecondsLeft: null,
    rating: null,
    instruction: 'All done. Thank you!',
    summary: {
      ...summary,
      levelStart: state.levelStart,
      levelEnd: state.levels[view.arm],
      bestStreak: view.bestStreak,
      test,
    },
  });
  say(state, 'All done. Thank you!');
}
