import {
  addTrialToMap,
  buildPerformanceMap,
  mapFromSnapshot,
  mapSnapshotSchema,
  mapToSnapshot,
  personalTrial,
  type MapSnapshot,
  type PerformanceMapState,
  type PersonalTrial,
} from '../../shared/clinical';
import {
  readStoredCalibration,
  type Arm,
  type Calibration,
  type TrialResult,
} from '../../shared/protocol';
import type { ReachContext } from '../context';

/**
 * The performance map of each patient and arm, kept with the patient (issue 12). It is derived
 * from the stored trials: a stored trial updates it in place (addTrialToMap), and whenever the
 * stored map does not hold exactly the arm's other trials (a map from before a crash, trials
 * stored before maps existed, a session delivered late, out of order) it is rebuilt from them.
 */

/** Updates of one patient's arm run one after the other in this process (read, add, write). */
const queues = new Map<string, Promise<unknown>>();

function serially<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

function parseCalibration(json: string | null | undefined): Calibration | null {
  if (json === null || json === undefined) return null;
  try {
    return readStoredCalibration(JSON.parse(json));
  } catch {
    return null;
  }
}

function parseSnapshot(json: string): MapSnapshot | null {
  try {
    const parsed = mapSnapshotSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function patientCalibration(ctx: ReachContext, patientId: string) {
  const row = await ctx.patients.find(patientId);
  return parseCalibration(row?.calibration_json);
}

/** The arm's map rebuilt from every stored trial, and the number of trials it read. */
async function rebuild(ctx: ReachContext, patientId: string, arm: Arm) {
  const rows = await ctx.performanceMaps.listSource(patientId, arm);
  const fallback = await patientCalibration(ctx, patientId);
  const calibrations = new Map<string, Calibration | null>();
  const trials: PersonalTrial[] = [];
  for (const row of rows) {
    let calibration = calibrations.get(row.sessionId);
    if (calibration === undefined) {
      calibration = parseCalibration(row.sessionCalibrationJson) ?? fallback;
      calibrations.set(row.sessionId, calibration);
    }
    const result = JSON.parse(row.resultJson) as TrialResult;
    trials.push(personalTrial(result, calibration?.[arm]));
  }
  const map = buildPerformanceMap(trials, arm);
  await save(ctx, patientId, map, rows.length);
  return map;
}

async function save(ctx: ReachContext, patientId: string, map: PerformanceMapState, count: number) {
  await ctx.performanceMaps.save(patientId, map.arm, {
    snapshotJson: JSON.stringify(mapToSnapshot(map)),
    trialsCounted: count,
  });
}

/** The map's current session id, or null when it has none. */
function currentSessionId(map: PerformanceMapState): string | null {
  for (const [id, index] of map.sessionIndex) if (index === map.currentSession) return id;
  return null;
}

/**
 * Whether adding `trial` to the stored map gives what a rebuild would: the trial is of the map's
 * current session, or of a session that started after it (a new session).
 */
async function inOrder(ctx: ReachContext, map: PerformanceMapState, trial: TrialResult) {
  if (map.sessionIndex.has(trial.sessionId))
    return map.sessionIndex.get(trial.sessionId) === map.currentSession;
  const current = currentSessionId(map);
  if (current === null) return true;
  const [before, after] = await Promise.all([
    ctx.sessions.find(current),
    ctx.sessions.find(trial.sessionId),
  ]);
  return before !== undefined && after !== undefined && before.started_at <= after.started_at;
}

/** After a trial of `patientId` was stored (or found stored): its arm's map holds it. */
export function updatePerformanceMap(
  ctx: ReachContext,
  patientId: string,
  trial: TrialResult,
): Promise<void> {
  return serially(`${patientId}:${trial.arm}`, async () => {
    const [stored, count] = await Promise.all([
      ctx.performanceMaps.find(patientId, trial.arm),
      ctx.performanceMaps.countTrials(patientId, trial.arm),
    ]);
    if (stored?.trialsCounted === count) return; // already holds it (a resent trial)
    const snapshot = stored === undefined ? null : parseSnapshot(stored.snapshotJson);
    if (snapshot !== null && stored!.trialsCounted === count - 1) {
      const map = mapFromSnapshot(snapshot);
      if (await inOrder(ctx, map, trial)) {
        const session = await ctx.sessions.find(trial.sessionId);
        const calibration =
          parseCalibration(session?.calibration_json) ?? (await patientCalibration(ctx, patientId));
        addTrialToMap(map, personalTrial(trial, calibration?.[trial.arm]));
        await save(ctx, patientId, map, count);
        return;
      }
    }
    await rebuild(ctx, patientId, trial.arm);
  });
}

/** The patient's current map of `arm`: the stored one while it holds every trial, else rebuilt. */
export function currentPerformanceMap(
  ctx: ReachContext,
  patientId: string,
  arm: Arm,
): Promise<PerformanceMapState> {
  return serially(`${patientId}:${arm}`, async () => {
    const [stored, count] = await Promise.all([
      ctx.performanceMaps.find(patientId, arm),
      ctx.performanceMaps.countTrials(patientId, arm),
    ]);
    const snapshot = stored === undefined ? null : parseSnapshot(stored.snapshotJson);
    if (snapshot !== null && stored!.trialsCounted === count) return mapFromSnapshot(snapshot);
    return rebuild(ctx, patientId, arm);
  });
}

/** Both arms' maps as the headset receives them with the plan. */
export async function performanceMapSnapshots(
  ctx: ReachContext,
  patientId: string,
): Promise<Record<Arm, MapSnapshot>> {
  const [left, right] = await Promise.all([
    currentPerformanceMap(ctx, patientId, 'left'),
    currentPerformanceMap(ctx, patientId, 'right'),
  ]);
  return { left: mapToSnapshot(left), right: mapToSnapshot(right) };
}
