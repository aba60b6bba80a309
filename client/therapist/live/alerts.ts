import {
  DEFAULT_DIFFICULTY,
  difficultyBoundAdvice,
  type ArmDifficulty,
  type DifficultyConfig,
} from '../../../shared/clinical/difficulty/index';
import type { Arm } from '../../../shared/protocol/primitives';
import type { LiveSessionInfo } from '../../../shared/protocol/live';
import type { TrialResult } from '../../../shared/protocol/trial';
import type { StoredSetRating } from '../../../shared/protocol/rating';
import { painPauses } from '../../../shared/clinical/ratings';
import type { ControlEntry } from '../state/control-machine';
import type { PersonalAlerts } from '../state/live-store';
import { difficultyInForce } from './followed-difficulty';
import { flagText } from './flag-text';

export { BOUND_TRIALS } from '../../../shared/clinical/difficulty/index';
/** Trunk compensation in this many of the last TRUNK_WINDOW reaches is frequent. */
export const TRUNK_WINDOW = 5;
export const TRUNK_MIN_COUNT = 3;
/** Tracking loss is worth a look as soon as it hits any of the recent trials. */
export const TRACKING_WINDOW = 5;
/** Flags that say the headset lost or misplaced the hand or head during a reach. */
export const TRACKING_FLAGS: readonly string[] = [
  'tracking_loss',
  'tracking_glitch',
  'head_glitch',
];
/** The stale indicator shows at 1 s; an alert at 3 s means the stream stopped, not a hiccup. */
export const STREAM_STALL_MS = 3000;
/** Warn this long before the plan's maximum duration. */
export const TIME_WARNING_SECONDS = 120;

export type AlertId =
  | 'pain_reported'
  | 'device_offline'
  | 'stream_stalled'
  | 'difficulty_at_min'
  | 'difficulty_at_max'
  | 'trunk_compensation'
  | 'tracking_lost'
  | 'time_nearly_up'
  | 'abnormal_trial'
  | 'fatigue';

export interface Alert {
  id: AlertId;
  severity: 'warning' | 'critical';
  message: string;
}

export interface AlertInputs {
  live: LiveSessionInfo | null;
  /** this session's trials, oldest first */
  trials: readonly TrialResult[];
  /** this session's set-end ratings, in set order */
  ratings?: readonly StoredSetRating[];
  /** The bounds in force of the arm in play (`live.state.arm`), judged on that arm's trials. */
  minLevel: number;
  maxLevel: number;
  /** The plan's target success rate (0-1); the default configuration's when not given. */
  targetSuccess?: number;
  /** local ms of the last pose frame, or null if none arrived yet */
  lastPoseAtMs: number | null;
  /** when watching started, so a session with no frames at all also stalls */
  watchingSinceMs: number;
  nowMs: number;
  maxDurationSeconds: number | null;
  /** What the server raised about the session against the patient's own baseline. */
  personal?: PersonalAlerts;
}

/**
 * The settings the alerts judge against (bounds, target success): the arm in play's in force,
 * the plan's arm's before a scene says which arm plays. In force as `difficultyInForce` knows it:
 * published by the headset, or from an older headset the plan's with every live change it
 * confirmed applying, so a bound the therapist moved is the bound the alert speaks of.
 */
export function alertSettings(
  plan: { arm: Arm | 'alternate'; difficulty: ArmDifficulty },
  armInPlay: Arm | null,
  published: ArmDifficulty | null | undefined,
  control: readonly ControlEntry[],
): DifficultyConfig {
  const arm = armInPlay ?? (plan.arm === 'left' ? 'left' : 'right');
  return difficultyInForce(published, plan.difficulty, control)[arm];
}

function boundAlert(inputs: AlertInputs): Alert | null {
  // The bounds are the arm in play's: judged on its own trials (each arm has its own level).
  const arm = inputs.live?.state?.arm;
  const advice = difficultyBoundAdvice(
    arm === undefined ? inputs.trials : inputs.trials.filter((t) => t.arm === arm),
    { minLevel: inputs.minLevel, maxLevel: inputs.maxLevel },
    inputs.targetSuccess ?? DEFAULT_DIFFICULTY.targetSuccess,
  );
  if (advice === null) return null;
  const atMax =
    advice.bound === 'max' || (advice.bound === 'locked' && advice.verdict === 'too_hard');
  return {
    id: atMax ? 'difficulty_at_max' : 'difficulty_at_min',
    severity: 'warning',
    message: advice.message,
  };
}

function trunkAlert(trials: readonly TrialResult[]): Alert | null {
  const recent = trials.slice(-TRUNK_WINDOW);
  const count = recent.filter((t) => t.trunkCompensation).length;
  if (count < TRUNK_MIN_COUNT) return null;
  return {
    id: 'trunk_compensation',
    severity: 'warning',
    message: `Trunk compensation in ${count} of the last ${recent.length} reaches.`,
  };
}

/**
 * The session is over: ended by its headset, or by the server (the therapist's end while the
 * headset was away, a revoke, an abandoned session), whose last state may still say running.
 */
const sessionOver = (live: LiveSessionInfo) =>
  Boolean(live.endedAt) || live.state?.status === 'ended';

function trackingAlert(trials: readonly TrialResult[], live: LiveSessionInfo): Alert | null {
  if (!sessionOver(live) && live.state?.inputMode === 'none' && live.state.status === 'running') {
    return {
      id: 'tracking_lost',
      severity: 'critical',
      message: 'The headset tracks neither controllers nor hands.',
    };
  }
  const recent = trials.slice(-TRACKING_WINDOW);
  const troubled = recent.filter((t) => t.metrics.flags.some((f) => TRACKING_FLAGS.includes(f)));
  if (troubled.length === 0) return null;
  const kinds = TRACKING_FLAGS.flatMap((flag) => {
    const n = recent.filter((t) => t.metrics.flags.includes(flag)).length;
    return n === 0 ? [] : [`${flagText(flag)} in ${n}`];
  });
  return {
    id: 'tracking_lost',
    severity: 'warning',
    message: `Tracking trouble in ${troubled.length} of the last ${recent.length} trials (${kinds.join(', ')}).`,
  };
}

/**
 * The session's flags against the patient's own baseline, as the server raised them: the latest
 * abnormal-trial alert (at most one a minute, folded count) and the fatigue report (once).
 */
function personalAlerts(personal: PersonalAlerts | undefined): Alert[] {
  const out: Alert[] = [];
  if (personal?.fatigue)
    out.push({ id: 'fatigue', severity: 'warning', message: personal.fatigue });
  if (personal?.abnormal)
    out.push({ id: 'abnormal_trial', severity: 'warning', message: personal.abnormal.text });
  return out;
}

function streamAlert(inputs: AlertInputs, live: LiveSessionInfo): Alert | null {
  // A headset that leaves after its session ended is no news.
  if (sessionOver(live)) return null;
  if (!live.deviceConnected) {
    return { id: 'device_offline', severity: 'critical', message: 'The headset is not connected.' };
  }
  const since = inputs.lastPoseAtMs ?? inputs.watchingSinceMs;
  if (inputs.nowMs - since <= STREAM_STALL_MS) return null;
  const seconds = Math.floor((inputs.nowMs - since) / 1000);
  return {
    id: 'stream_stalled',
    severity: 'critical',
    message: `No movement data from the headset for ${seconds} s.`,
  };
}

function timeAlert(live: LiveSessionInfo, maxDurationSeconds: number | null): Alert | null {
  if (maxDurationSeconds === null || live.state === null || sessionOver(live)) {
    return null;
  }
  const left = maxDurationSeconds - live.state.elapsedSeconds;
  if (left > TIME_WARNING_SECONDS) return null;
  const minutes = Math.max(0, Math.ceil(left / 60));
  return {
    id: 'time_nearly_up',
    severity: 'warning',
    message:
      left <= 0
        ? 'The session has reached its maximum duration.'
        : `Session time nearly up: ${minutes} min left.`,
  };
}

/**
 * A pain rating at or above the plan's threshold (the one the headset applied): the headset paused
 * the session and told the patient; the therapist must look. It stays for the rest of the session,
 * saying whether the session is still paused for it.
 */
function painAlert(ratings: readonly StoredSetRating[], live: LiveSessionInfo): Alert | null {
  const painful = ratings.filter((r) => painPauses(r.pain, r.painPauseAt));
  const last = painful.at(-1);
  if (last === undefined) return null;
  const where = `after set ${last.setIndex + 1} (${last.arm} arm)`;
  const more =
    painful.length > 1 ? ` (${painful.length} sets at or above ${last.painPauseAt})` : '';
  const pausedNow = live.state?.status === 'paused' && live.state.pausedBy === 'pain';
  return {
    id: 'pain_reported',
    severity: 'critical',
    message: pausedNow
      ? `Pain ${last.pain}/10 reported ${where}${more}: the session is paused. Talk to the patient before resuming.`
      : `Pain ${last.pain}/10 was reported ${where}${more}.`,
  };
}

/** Every alert that holds now, most urgent first. */
export function evaluateAlerts(inputs: AlertInputs): Alert[] {
  const { live, trials } = inputs;
  if (live === null) return [];
  const alerts = [
    painAlert(inputs.ratings ?? [], live),
    streamAlert(inputs, live),
    trackingAlert(trials, live),
    boundAlert(inputs),
    trunkAlert(trials),
    timeAlert(live, inputs.maxDurationSeconds),
    ...personalAlerts(inputs.personal),
  ].filter((a): a is Alert => a !== null);
  return alerts.sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1,
  );
}
