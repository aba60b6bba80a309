import {
  createSessionFlagMonitor,
  personalTrial,
  stepSessionFlags,
  type PersonalTrial,
  type SessionFlagMonitor,
} from '../../shared/clinical';
import {
  readStoredCalibration,
  type Calibration,
  type TrialFlags,
  type TrialResult,
} from '../../shared/protocol';
import type { ReachContext } from '../context';

/**
 * The live check of arriving trials against the patient's own baseline (issue 12, section 3).
 * The decisions are the clinical core's (shared/clinical/personal/monitor.ts); this feeds it.
 *
 * Per session, a monitor is built once, at the session's first trial this process sees: its
 * baseline from the patient's latest BASELINE_HISTORY_TRIALS stored trials of other sessions (one
 * bounded query: enough for the last 50 of every task, arm and sector a patient plays) and the
 * session's trials stored so far. Each trial then costs no query beyond storing its flags. At
 * most MONITORED_SESSIONS monitors are kept (the least recently used goes); a session taken up
 * again later, here or in another process, rebuilds its monitor from the stored trials, and
 * its fatigue, once reported (stored), is not reported again.
 *
 * Sectors come from the patient's current calibration, as on the history page's map.
 */
export const BASELINE_HISTORY_TRIALS = 5000;
export const MONITORED_SESSIONS = 100;

interface Monitored {
  monitor: SessionFlagMonitor;
  /** Trials the monitor holds: a resent trial is not counted twice. */
  trialIds: Set<string>;
  calibration: Calibration | null;
}

const monitors = new WeakMap<ReachContext, Map<string, Promise<Monitored>>>();

function parseCalibration(json: string | undefined): Calibration | null {
  if (json === undefined) return null;
  return readStoredCalibration(JSON.parse(json));
}

async function loadMonitor(
  ctx: ReachContext,
  patientId: string,
  sessionId: string,
  exceptTrialId: string,
): Promise<Monitored> {
  const calibration = parseCalibration((await ctx.patients.find(patientId))?.calibration_json);
  const toPersonal = (t: TrialResult): PersonalTrial => personalTrial(t, calibration?.[t.arm]);
  const history = await ctx.flags.recentTrialsOfPatient(
    patientId,
    sessionId,
    BASELINE_HISTORY_TRIALS,
  );
  const soFar = (await ctx.sessions.listTrialResults([sessionId])).filter(
    (t) => t.id !== exceptTrialId,
  );
  const monitor = createSessionFlagMonitor(
    history.map(toPersonal),
    soFar.map(toPersonal),
    await ctx.flags.fatigueReported(sessionId),
  );
  return { monitor, trialIds: new Set(soFar.map((t) => t.id)), calibration };
}

function monitorOf(ctx: ReachContext, patientId: string, trial: TrialResult): Promise<Monitored> {
  let perSession = monitors.get(ctx);
  if (perSession === undefined) {
    perSession = new Map();
    monitors.set(ctx, perSession);
  }
  let entry = perSession.get(trial.sessionId);
  if (entry === undefined) {
    entry = loadMonitor(ctx, patientId, trial.sessionId, trial.id);
    // A failed load is not kept: the next trial tries again.
    entry.catch(() => perSession.delete(trial.sessionId));
    if (perSession.size >= MONITORED_SESSIONS) perSession.delete(perSession.keys().next().value!);
  } else perSession.delete(trial.sessionId);
  // Re-inserted: the Map's order is the use order, the first key the least recently used.
  perSession.set(trial.sessionId, entry);
  return entry;
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
    const monitored = await monitorOf(ctx, patientId, trial);
    if (monitored.trialIds.has(trial.id)) return await ctx.flags.find(trial.id);
    monitored.trialIds.add(trial.id);
    const step = stepSessionFlags(
      monitored.monitor,
      personalTrial(trial, monitored.calibration?.[trial.arm]),
      Date.now(),
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
    return flags;
  } catch (err) {
    ctx.log.warn('trial flags failed', { trialId: trial.id, err: String(err) });
    return undefined;
  }
}
