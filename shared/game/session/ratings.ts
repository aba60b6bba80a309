import { nextStep, painPauses, type SessionPlan, type TrialStep } from '../../clinical';
import type { Arm } from '../../protocol';
import { emit, publish } from './emit';
import { advance, pause, progressOf, saveProgress } from './flow';
import { openRatingPrompt } from './rating-prompt';
import type { SessionState } from './state';

/** 0-based index of a trial's set over the whole session (the plan's sets, in order). */
export function setIndexOf(plan: SessionPlan, step: TrialStep): number {
  let before = 0;
  for (let i = 0; i < step.taskIndex; i++) before += plan.tasks[i]!.sets;
  return before + step.set - 1;
}

/** Whether the trial just counted was its set's last: the plan goes on with a rest, a new set or its end. */
function setCompleted(state: SessionState): boolean {
  const next = nextStep(state.plan, progressOf(state));
  if (next.kind === 'trial') return next.firstOfSet;
  return next.kind === 'rest' || next.reason === 'plan_complete';
}

/**
 * The rating a trial just judged makes due: its set's, when it was the set's last and ratings are
 * on (the reach test is not a set of the plan: nothing to rate after it); else none. Decided in
 * the frame that judges the trial, so the snapshot saved with it carries the rating: a reload
 * before the next frame asks it all the same.
 */
export function ratingDueAfter(
  state: SessionState,
  step: TrialStep,
): { setIndex: number; arm: Arm } | null {
  if (!state.config.ratings.enabled || step.assessment !== null || !setCompleted(state))
    return null;
  return { setIndex: setIndexOf(state.plan, step), arm: state.view.arm };
}

/**
 * After a trial (`ratingDueAfter` decided when it was judged): at the end of a set, when ratings
 * are on, the patient rates it before the session goes on; otherwise on with the plan at once.
 */
export function afterTrial(state: SessionState): void {
  if (state.ratingDue !== null) openRatingPrompt(state);
  else advance(state);
  saveProgress(state);
}

const validEffort = (v: number | null) =>
  v === null || (Number.isFinite(v) && v >= 0 && v <= 10 && Number.isInteger(v * 2));
const validPain = (v: number | null) => v === null || (Number.isInteger(v) && v >= 0 && v <= 10);

/**
 * The patient's answer (both null: skipped). Recorded, then a pain at or above the plan's limit
 * pauses the session (the therapist sees why); any other answer goes on with the plan. An answer
 * outside the scales, or with no prompt open, changes nothing.
 */
export function rate(state: SessionState, effort: number | null, pain: number | null): void {
  const due = state.ratingDue;
  if (state.phase !== 'rating' || due === null || !validEffort(effort) || !validPain(pain)) return;
  state.ratingDue = null;
  emit(state, {
    type: 'record-rating',
    rating: {
      setIndex: due.setIndex,
      arm: due.arm,
      effort,
      pain,
      skipped: effort === null && pain === null,
      at: state.now,
    },
  });
  publish(state, { rating: null });
  if (painPauses(pain, state.config.ratings.painPauseAt)) {
    pause(state, 'pain');
    return;
  }
  advance(state);
  saveProgress(state);
}
