import { z } from 'zod';
import { idSchema, isoTimeSchema } from './primitives';

/** How many of the newest completed sessions the headset receives (about a year of daily play). */
export const PROGRESS_RECENT_SESSIONS = 400;

const count = z.number().int().min(0).max(1_000_000);

/** One completed session, as the patient's end-of-session scene compares with it. */
export const playedSessionSchema = z.object({
  sessionId: idSchema,
  /** When it started (UTC); the headset turns it into its own local date. */
  startedAt: isoTimeSchema,
  trials: count,
  hits: count,
  /** The longest run of hits in a row within the session. */
  bestStreak: count,
});
export type PlayedSession = z.infer<typeof playedSessionSchema>;

/**
 * The patient's progress history, sent to the headset with the plan (`GET /api/device/me`) and
 * cached with it for offline play. A completed session is one that ended (not abandoned) with at
 * least one trial. `recent` is newest first and bounded; the totals count every session ever.
 */
export const progressHistorySchema = z.object({
  completedSessions: count,
  totalHits: count,
  recent: z.array(playedSessionSchema).max(PROGRESS_RECENT_SESSIONS),
});
export type ProgressHistory = z.infer<typeof progressHistorySchema>;

export const EMPTY_PROGRESS_HISTORY: ProgressHistory = {
  completedSessions: 0,
  totalHits: 0,
  recent: [],
};
