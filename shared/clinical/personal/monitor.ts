import {
  addToBaseline,
  checkAgainstBaseline,
  createBaseline,
  type AbnormalityCheck,
  type BaselineState,
} from './abnormal';
import {
  createFatigueMonitor,
  fatigueToReport,
  type FatigueMonitor,
  type FatigueReport,
} from './fatigue';
import type { PersonalTrial } from './trial';

/**
 * The live watch over one session's trials: each arriving trial is checked against the patient's
 * own baseline (abnormal.ts), then joins it; fatigue (fatigue.ts) is reported once per session.
 * Abnormal trials raise an alert at most once per ABNORMAL_ALERT_INTERVAL_MS: flagged trials
 * within the interval are folded into the next alert's count, which goes out with the first
 * trial (flagged or not) that arrives after the interval. Every flag still shows in the trial
 * feed and the session report; only the alert is limited, so a burst (a patient struggling, or
 * a headset's outbox delivering a session at once) makes one alert, not a storm.
 */
export const ABNORMAL_ALERT_INTERVAL_MS = 60_000;

export interface SessionFlagMonitor {
  baseline: BaselineState;
  /** The session's trials so far, in arrival order (the fatigue test's input). */
  sessionTrials: PersonalTrial[];
  fatigue: FatigueMonitor;
  /** When the last abnormal-trial alert went out (caller's clock, ms); null: none yet. */
  lastAlertAtMs: number | null;
  /** Flagged trials not yet counted in an alert. */
  foldedFlags: number;
  /** The latest of them, described in the next alert. */
  latestFlagText: string | null;
}

export interface AbnormalAlert {
  /** Flagged trials this alert stands for (1, or more when folded). */
  trials: number;
  text: string;
}

export interface SessionFlagStep {
  check: AbnormalityCheck;
  alert: AbnormalAlert | null;
  /** Set on the one trial where fatigue is first found in the session. */
  fatigue: FatigueReport | null;
}

/**
 * A monitor whose baseline holds `history` (the patient's earlier stored trials, oldest first)
 * and, continuing a session the caller already stored trials of, `sessionSoFar` (oldest first:
 * they join the baseline and the fatigue test, without alerts). `fatigueReported`: the session
 * already had its fatigue report (e.g. before a server restart).
 */
export function createSessionFlagMonitor(
  history: readonly PersonalTrial[],
  sessionSoFar: readonly PersonalTrial[] = [],
  fatigueReported = false,
): SessionFlagMonitor {
  const baseline = createBaseline();
  for (const t of history) addToBaseline(baseline, t);
  for (const t of sessionSoFar) addToBaseline(baseline, t);
  const fatigue = createFatigueMonitor();
  fatigue.reported = fatigueReported;
  return {
    baseline,
    sessionTrials: [...sessionSoFar],
    fatigue,
    lastAlertAtMs: null,
    foldedFlags: 0,
    latestFlagText: null,
  };
}

/** Checks `trial`, adds it to the baseline and the session, and says what to raise now. */
export function stepSessionFlags(
  monitor: SessionFlagMonitor,
  trial: PersonalTrial,
  nowMs: number,
): SessionFlagStep {
  const check = checkAgainstBaseline(monitor.baseline, trial);
  addToBaseline(monitor.baseline, trial);
  monitor.sessionTrials.push(trial);
  if (check.flags.length > 0) {
    monitor.foldedFlags++;
    monitor.latestFlagText = check.text;
  }
  let alert: AbnormalAlert | null = null;
  const due =
    monitor.lastAlertAtMs === null || nowMs - monitor.lastAlertAtMs >= ABNORMAL_ALERT_INTERVAL_MS;
  if (monitor.foldedFlags > 0 && due) {
    alert = { trials: monitor.foldedFlags, text: abnormalAlertText(monitor) };
    monitor.lastAlertAtMs = nowMs;
    monitor.foldedFlags = 0;
    monitor.latestFlagText = null;
  }
  return { check, alert, fatigue: fatigueToReport(monitor.fatigue, monitor.sessionTrials) };
}

function abnormalAlertText(monitor: SessionFlagMonitor): string {
  const n = monitor.foldedFlags;
  const head =
    n === 1
      ? 'A reach unusual for this patient'
      : `${n} reaches unusual for this patient since the last note; the latest`;
  return `${head}: ${monitor.latestFlagText}.`;
}
