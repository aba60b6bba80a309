import type { Calibration } from '../../shared/protocol';
import { perContext, type ReachContext } from '../context';
import { calibrationOrNone } from '../patients/stored-calibration';

/**
 * What every stored trial of a session needs to know about the session, read once per session
 * and process instead of once per trial: its start (the performance map's session order) and the
 * calibration its targets were placed in. The performance map and the unusual-trial monitor both
 * take sectors from this calibration, so a trial lands in the same sector in both; a session
 * recorded before sessions kept their calibration falls back to the patient's.
 *
 * At most CACHED_SESSIONS contexts are kept per ReachContext (the least recently used goes). A
 * context is dropped when its session ends, when the patient's calibration changes here, and
 * when the session is resumed here with another calibration than the context holds (saved
 * through another process meanwhile); the next trial reads it afresh. Data kept with a session
 * context (the monitor of trial-flags.ts) is keyed by the context object, so it goes with it.
 */
export const CACHED_SESSIONS = 100;

export interface SessionContext {
  readonly patientId: string;
  readonly sessionId: string;
  /** ISO time, as stored. */
  readonly startedAt: string;
  readonly calibration: Calibration | null;
  /** The session row's calibration as stored, to tell whether it changed since. */
  readonly calibrationJson: string | null;
}

interface Cached {
  patientId: string;
  context: Promise<SessionContext>;
}

const cacheOf = perContext(() => new Map<string, Cached>());

/** The patient's current calibration: for sessions recorded before sessions kept theirs. */
export async function patientCalibration(
  ctx: ReachContext,
  patientId: string,
): Promise<Calibration | null> {
  return calibrationOrNone((await ctx.patients.find(patientId))?.calibration_json);
}

async function loadSessionContext(
  ctx: ReachContext,
  patientId: string,
  sessionId: string,
): Promise<SessionContext> {
  const row = await ctx.sessions.find(sessionId);
  if (row === undefined) throw new Error(`session ${sessionId} not found`);
  return {
    patientId,
    sessionId,
    startedAt: row.started_at,
    calibration:
      calibrationOrNone(row.calibration_json) ?? (await patientCalibration(ctx, patientId)),
    calibrationJson: row.calibration_json,
  };
}

/** The session's context: cached, or read (the session row, perhaps the patient's). */
export function sessionContext(
  ctx: ReachContext,
  patientId: string,
  sessionId: string,
): Promise<SessionContext> {
  const cache = cacheOf(ctx);
  let entry = cache.get(sessionId);
  if (entry === undefined) {
    const context = loadSessionContext(ctx, patientId, sessionId);
    entry = { patientId, context };
    const loaded = entry;
    // A failed read is not kept: the next trial tries again.
    context.catch(() => {
      if (cache.get(sessionId) === loaded) cache.delete(sessionId);
    });
    if (cache.size >= CACHED_SESSIONS) cache.delete(cache.keys().next().value!);
  } else cache.delete(sessionId);
  // Re-inserted: the Map's order is the use order, the first key the least recently used.
  cache.set(sessionId, entry);
  return entry.context;
}

/** The session ended: a trial delivered later reads its context afresh. */
export function forgetSessionContext(ctx: ReachContext, sessionId: string): void {
  cacheOf(ctx).delete(sessionId);
}

/**
 * The session was started or resumed here with `calibrationJson` (its stored row's): a context
 * kept from before goes if the calibration differs (saved through another process meanwhile).
 */
export async function sessionResumedHere(
  ctx: ReachContext,
  sessionId: string,
  calibrationJson: string | null,
): Promise<void> {
  const cache = cacheOf(ctx);
  const entry = cache.get(sessionId);
  if (entry === undefined) return;
  const context = await entry.context.catch(() => undefined);
  if (context?.calibrationJson !== calibrationJson && cache.get(sessionId) === entry)
    cache.delete(sessionId);
}

/** The patient's calibration changed: none of their sessions' contexts holds it any more. */
export function forgetPatientSessionContexts(ctx: ReachContext, patientId: string): void {
  const cache = cacheOf(ctx);
  for (const [sessionId, entry] of cache)
    if (entry.patientId === patientId) cache.delete(sessionId);
}
