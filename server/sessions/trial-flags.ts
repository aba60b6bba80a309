import {
  createSessionFlagMonitor,
  personalTrial,
  stepSessionFlags,
  type PersonalTrial,
  type SessionFlagMonitor,
} from '../../shared/clinical';
import type { Calibration, TrialFlags, TrialResult } from '../../shared/protocol';
import type { ReachContext } from '../context';
import { calibrationOrNone } from '../patients/stored-calibration';
import { patientCalibration, sessionContext, type SessionContext } from './session-context';

/**
 * The live check of arriving trials against the patient's own baseline (issue 12, section 3).
 * The decisions are the clinical core's (shared/clinical/personal/monitor.ts); this feeds it.
 *
 * Per session, a monitor is built once, at the session's first trial this process sees: its
 * baseline from the patient's latest BASELINE_HISTORY_TRIALS stored trials of other sessions (one
 * bounded query: enough for the last 50 of every task, arm and sector a patient plays) and the
 * session's trials stored so far. Each trial then costs no query beyond storing its flags. The
 * monitor is kept with the session's cached context (session-context.ts: bounded, least recently
 * used first out, dropped when the session ends or the calibration changes); a session taken up
 * again later, here or in another process, rebuilds its monitor from the stored trials; its
 * fatigue, once reported (stored), is not reported again, and its next abnormal-trial alert waits
 * for the minute after the last one stored.
 *
 * Sectors come from the calibration each trial's session ran with (the one its targets were
 * placed in), as in the performance map: a trial is in the same sector in both.
 */
export const BASELINE_HISTORY_TRIALS = 5000;

interface Monitored {
  monitor: SessionFlagMonitor;
  /** Trials the monitor holds: a resent trial is not counted twice. */
  trialIds: Set<string>;
}

const monitors = new WeakMap<SessionContext, Promise<Monitored>>();

async function loadMonitor(
  ctx: ReachContext,
  session: SessionContext,
  exceptTrialId: string,
): Promise<Monitored> {
  const { patientId, sessionId, calibration } = session;
  const history = await ctx.flags.recentTrialsOfPatient(
    patientId,
    sessionId,
    BASELINE_HISTORY_TRIALS,
  );
  const calibrations = new Map<string | null, Calibration | null>();
  let fallback: Promise<Calibration | null> | undefined;
  const historical: PersonalTrial[] = [];
  for (const { result, sessionCalibrationJson } of history) {
    let ran = calibrations.get(sessionCalibrationJson);
    if (ran === undefined) {
      ran =
        calibrationOrNone(sessionCalibrationJson) ??
        (await (fallback ??= patientCalibration(ctx, patientId)));
      calibrations.set(sessionCalibrationJson, ran);
    }
    historical.push(personalTrial(result, ran?.[result.arm]));
  }
  const soFar = (await ctx.sessions.listTrialResults([sessionId])).filter(
    (t) => t.id !== exceptTrialId,
  );
  const monitor = createSessionFlagMonitor(
    historical,
    soFar.map((t) => personalTrial(t, calibration?.[t.arm])),
    await ctx.flags.fatigueReported(sessionId),
  );
  // A monitor made again (a restart, another process, the context dropped) keeps the minute
  // between alerts: the last one sent may be seconds old.
  const lastAlert = await ctx.flags.latestAlertOfSession(sessionId);
  if (lastAlert !== undefined) monitor.lastAlertAtMs = Date.parse(lastAlert.raisedAt);
  return { monitor, trialIds: new Set(soFar.map((t) => t.id)) };
}

async function monitorOf(
  ctx: ReachContext,
  patientId: string,
  trial: TrialResult,
): Promise<{ monitored: Monitored; session: SessionContext }> {
  const session = await sessionContext(ctx, patientId, trial.sessionId);
  let entry = monitors.get(session);
  if (entry === undefined) {
    entry = loadMonitor(ctx, session, trial.id);
    monitors.set(session, entry);
    const loading = entry;
    // A failed load is not kept: the next trial tries again.
    entry.catch(() => {
      if (monitors.get(session) === loading) monitors.delete(session);
    });
  }
  return { monitored: await entry, session };
}

/**
 * The flags of an arriving trial, for `live:trial`: checked and stored when `stored` (new),
 * read back for a resent one. Undefined when there is nothing to tell or the check failed: the
 * trial itself is stored already and its acknowledgement must not wait on this.
 */
export async function flagArrivingTrial(
  ctx: ReachContext,
  patientId: string,
  trial: TrialResult,
  stored: boolean,
): Promise<TrialFlags | undefined> {
  try {
    if (!stored) return await ctx.flags.find(trial.id);
    const { monitored, session } = await monitorOf(ctx, patientId, trial);
    if (monitored.trialIds.has(trial.id)) return await ctx.flags.find(trial.id);
    monitored.trialIds.add(trial.id);
    const nowMs = Date.now();
    const step = stepSessionFlags(
      monitored.monitor,
      personalTrial(trial, session.calibration?.[trial.arm]),
      nowMs,
    );
    const flags: TrialFlags = {
      state: step.check.state,
      comparable: step.check.comparable,
      flags: step.check.flags.map((f) => ({
        measure: f.measure,
        value: f.value!,
        median: f.median!,
        low: f.low!,
        high: f.high!,
        modifiedZ: f.modifiedZ!,
        text: f.text,
      })),
      text: step.check.text,
      ...(step.fatigue && { fatigue: step.fatigue.text }),
      ...(step.alert && { alert: step.alert }),
    };
    // The alert is the live moment's; the report keeps what the trial was found to be.
    const { alert: _alert, ...kept } = flags;
    if (kept.flags.length > 0 || kept.fatigue !== undefined)
      await ctx.flags.insertOnce({
        trialId: trial.id,
        sessionId: trial.sessionId,
        patientId,
        flags: kept,
      });
    // Stored before `live:trial` goes out, so a live view that reloads or reconnects from then on
    // gets it in its catch-up (`GET /api/sessions/:id`) too.
    if (step.alert)
      await ctx.flags.insertAlert({
        ...step.alert,
        trialId: trial.id,
        sessionId: trial.sessionId,
        patientId,
        raisedAt: new Date(nowMs).toISOString(),
      });
    return flags;
  } catch (err) {
    ctx.log.warn('trial flags failed', { trialId: trial.id, err: String(err) });
    return undefined;
  }
}
