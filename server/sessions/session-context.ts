import { readStoredCalibration, type Calibration } from '../../shared/protocol';
import type { ReachContext } from '../context';

/**
 * What every stored trial of a session needs to know about the session, read once per session
 * and process instead of once per trial: its start (the performance map's session order) and the
 * calibration its targets were placed in. The performance map and the unusual-trial monitor both
 * take sectors from this calibration, so a trial lands in the same sector in both; a session
 * recorded before sessions kept their calibration falls back to the patient's.
 *
 * At most CACHED_SESSIONS contexts are kept per ReachContext (the least recently used goes). A
 * context is dropped when its session ends, when the session is started or resumed on this
 * process (the headset may have saved a calibration on another process meanwhile), and when the
 * patient's calibration changes; the next trial reads it afresh. Data kept with a session
 * context (the monitor of trial-flags.ts) is keyed by the context object, so it goes with it.
 */
export const CACHED_SESSIONS = 100;

export interface SessionContext {
  readonly patientId: string;
  readonly sessionId: string;
  /** ISO time, as stored. */
  readonly startedAt: string;
  readonly calibration: Calibration | null;
}

interface Cached {
  patientId: string;
  context: Promise<SessionContext>;
}

const caches = new WeakMap<ReachContext, Map<string, Cached>>();

function cacheOf(ctx: ReachContext): Map<string, Cached> {
  let cache = caches.get(ctx);
  if (cache === undefined) {
    cache = new Map();
    caches.set(ctx, cache);
  }
  return cache;
}

export function parseCalibration(json: string | null | undefined): Calibration | null {
  if (json === null || json === undefined) return null;
  try {
    return readStoredCalibration(JSON.parse(json));
  } catch {
    return null;
  }
}

/** The patient's current calibration: for sessions recorded before sessions kept theirs. */
export async function patientCalibration(
  ctx: ReachContext,
  patientId: string,
): Promise<Calibration | null> {
  return parseCalibration((await ctx.patients.find(patientId))?.calibration_json);
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
      parseCalibration(row.calibration_json) ?? (await patientCalibration(ctx, patientId)),
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

/** The session ended, or is (re)started here: its next trial reads its context afresh. */
export function forgetSessionContext(ctx: ReachContext, sessionId: string): void {
  caches.get(ctx)?.delete(sessionId);
}

/** The patient's calibration changed: none of their sessions' contexts holds it any more. */
export function forgetPatientSessionContexts(ctx: ReachContext, patientId: string): void {
  const cache = caches.get(ctx);
  if (cache === undefined) return;
  for (const [sessionId, entry] of cache)
    if (entry.patientId === patientId) cache.delete(sessionId);
}
