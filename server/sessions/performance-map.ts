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
import type { Arm, Calibration, TrialResult } from '../../shared/protocol';
import { perContext, type ReachContext } from '../context';
import type { StoredPerformanceMap } from './performance-map-repository';
import { calibrationOrNone } from '../patients/stored-calibration';
import { patientCalibration, sessionContext, type SessionContext } from './session-context';

/**
 * The performance map of each patient and arm, kept with the patient (issue 12). It is derived
 * from the stored trials. A newly stored trial is added to the stored map in place
 * (addTrialToMap): one read of the map and one conditional write, the session's start and
 * calibration coming from its cached context (session-context.ts). The write holds only if the
 * map still holds as many trials as when it was read, so two processes adding trials of one
 * patient at once never lose one: the later one rebuilds the map from the stored trials.
 *
 * Whoever reads the map checks it against the count of the arm's stored trials and rebuilds it
 * when they differ (a map from before a crash, an update that failed after the trial was stored,
 * trials stored before maps existed): what the therapist and the headset get always holds every
 * stored trial exactly once. A resent trial (stored already) is checked the same way, not added.
 * A trial delivered late (of a session older than the map's current one) rebuilds the map.
 *
 * Known gap: a rebuild on another process can find a trial whose own update here has not run
 * yet; that update then adds it a second time (within one process the queue prevents it). The
 * stored count then exceeds the arm's trials, and the next read of the map rebuilds it.
 */

/** One patient's arm in this process: its updates, one after the other, and what they share. */
interface ArmQueue {
  tail: Promise<unknown>;
  /**
   * The trials the latest rebuild here stored the map with, while updates are queued: a rebuild
   * can find a trial whose own update waits behind it, which must not add it a second time.
   */
  rebuiltWith: Set<string> | null;
}

const queuesOf = perContext(() => new Map<string, ArmQueue>());

/** Runs `work` after the arm's earlier updates in this process (read, add, write). */
function serially<T>(
  ctx: ReachContext,
  key: string,
  work: (queue: ArmQueue) => Promise<T>,
): Promise<T> {
  const ofContext = queuesOf(ctx);
  let queue = ofContext.get(key);
  if (queue === undefined) {
    queue = { tail: Promise.resolve(), rebuiltWith: null };
    ofContext.set(key, queue);
  }
  const armQueue = queue;
  const run = () => work(armQueue);
  const next = armQueue.tail.then(run, run);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  armQueue.tail = settled;
  void settled.then(() => {
    if (armQueue.tail === settled) ofContext.delete(key);
  });
  return next;
}

function parseSnapshot(json: string): MapSnapshot | null {
  try {
    const parsed = mapSnapshotSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * A rebuild another process's write came between (its read of the stored map and its own
 * write) starts again, this many times at most; then the readers' check is left to finish it.
 */
const REBUILD_ATTEMPTS = 3;

/**
 * The arm's map rebuilt from every stored trial, saved with the number of trials it read unless
 * another writer saved one since `kept` (the stored map as read before).
 */
async function rebuild(
  ctx: ReachContext,
  patientId: string,
  arm: Arm,
  kept: StoredPerformanceMap | undefined,
  queue: ArmQueue,
) {
  for (let attempt = 1; ; attempt++) {
    const rows = await ctx.performanceMaps.listSource(patientId, arm);
    const calibrations = new Map<string, Calibration | null>();
    let fallback: Promise<Calibration | null> | undefined;
    const trials: PersonalTrial[] = [];
    const ids: string[] = [];
    for (const row of rows) {
      let calibration = calibrations.get(row.sessionId);
      if (calibration === undefined) {
        calibration =
          calibrationOrNone(row.sessionCalibrationJson) ??
          (await (fallback ??= patientCalibration(ctx, patientId)));
        calibrations.set(row.sessionId, calibration);
      }
      const result = JSON.parse(row.resultJson) as TrialResult;
      trials.push(personalTrial(result, calibration?.[arm]));
      ids.push(result.id);
    }
    const map = buildPerformanceMap(trials, arm);
    const saved = await ctx.performanceMaps.saveIfCounted(
      patientId,
      arm,
      storable(map, rows.length),
      kept?.trialsCounted ?? null,
    );
    if (saved) queue.rebuiltWith = new Set(ids);
    if (saved || attempt === REBUILD_ATTEMPTS) return map;
    kept = await ctx.performanceMaps.find(patientId, arm);
  }
}

function storable(map: PerformanceMapState, count: number) {
  return { snapshotJson: JSON.stringify(mapToSnapshot(map)), trialsCounted: count };
}

/** The map's current session id, or null when it has none. */
function currentSessionId(map: PerformanceMapState): string | null {
  for (const [id, index] of map.sessionIndex) if (index === map.currentSession) return id;
  return null;
}

/**
 * Whether adding a trial of `session` to the stored map gives what a rebuild would: the trial is
 * of the map's current session, or of a session that started after it (a new session).
 */
async function inOrder(ctx: ReachContext, map: PerformanceMapState, session: SessionContext) {
  if (map.sessionIndex.has(session.sessionId))
    return map.sessionIndex.get(session.sessionId) === map.currentSession;
  const current = currentSessionId(map);
  if (current === null) return true;
  // Once per session and arm: the first of its trials.
  const before = await ctx.sessions.find(current);
  return before !== undefined && before.started_at <= session.startedAt;
}

/** The stored map while it holds every stored trial of the arm, else the map rebuilt. */
async function upToDate(ctx: ReachContext, patientId: string, arm: Arm, queue: ArmQueue) {
  const [stored, count] = await Promise.all([
    ctx.performanceMaps.find(patientId, arm),
    ctx.performanceMaps.countTrials(patientId, arm),
  ]);
  const snapshot = stored === undefined ? null : parseSnapshot(stored.snapshotJson);
  if (snapshot !== null && stored!.trialsCounted === count) return mapFromSnapshot(snapshot);
  return rebuild(ctx, patientId, arm, stored, queue);
}

/**
 * After a trial of `patientId` was stored: its arm's map holds it. `stored`: this call stored it
 * (it is new); false for a resent trial, stored already, which the map may or may not hold yet.
 */
export function updatePerformanceMap(
  ctx: ReachContext,
  patientId: string,
  trial: TrialResult,
  stored: boolean,
): Promise<void> {
  return serially(ctx, `${patientId}:${trial.arm}`, async (queue) => {
    if (!stored) {
      await upToDate(ctx, patientId, trial.arm, queue);
      return;
    }
    if (queue.rebuiltWith?.has(trial.id)) return;
    const session = await sessionContext(ctx, patientId, trial.sessionId);
    let kept = await ctx.performanceMaps.find(patientId, trial.arm);
    const snapshot = kept === undefined ? null : parseSnapshot(kept.snapshotJson);
    if (snapshot !== null) {
      const map = mapFromSnapshot(snapshot);
      if (await inOrder(ctx, map, session)) {
        addTrialToMap(map, personalTrial(trial, session.calibration?.[trial.arm]));
        const saved = await ctx.performanceMaps.saveIfCounted(
          patientId,
          trial.arm,
          storable(map, kept!.trialsCounted + 1),
          kept!.trialsCounted,
        );
        if (saved) return;
        // Another process wrote the map since it was read.
        kept = await ctx.performanceMaps.find(patientId, trial.arm);
      }
    }
    await rebuild(ctx, patientId, trial.arm, kept, queue);
  });
}

/** The patient's current map of `arm`: the stored one while it holds every trial, else rebuilt. */
export function currentPerformanceMap(
  ctx: ReachContext,
  patientId: string,
  arm: Arm,
): Promise<PerformanceMapState> {
  return serially(ctx, `${patientId}:${arm}`, (queue) => upToDate(ctx, patientId, arm, queue));
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
