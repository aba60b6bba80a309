import { sessionProgress, spokenSummary, type ProgressThing } from '../../../shared/game/progress';
import type { PlayedSession, ProgressHistory } from '../../../shared/protocol';
import type { GameStore } from './store';

/**
 * The headset's own calendar day of a time: streaks follow the patient's days where they play,
 * not the server's (UTC) ones.
 */
export function localDayOf(isoTime: string): number {
  const d = new Date(isoTime);
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86_400_000;
}

export interface EndOfSessionDeps {
  store: GameStore;
  /** The history fetched with the plan (or cached with it offline); empty without a patient. */
  history: ProgressHistory;
  /** When the session started (the machine's `session-started` payload). */
  startedAt(): string;
  /** What the world drawn grows per session, for the spoken summary. */
  thing(): ProgressThing;
  say(text: string): void;
  /** Keeps the session in the offline history. */
  remember(played: PlayedSession): void;
}

/**
 * When the session ends (all sets done, time up, stopped by the patient or the therapist), sets
 * it against the history once, publishes the figures for the end scene and says them aloud.
 * Returns the unsubscribe function.
 */
export function showProgressAtEnd(deps: EndOfSessionDeps): () => void {
  const { store } = deps;
  return store.subscribe((s) => {
    if (s.status !== 'ended' || s.summary === null || s.endOfSession !== null) return;
    const played: PlayedSession = {
      sessionId: s.sessionId,
      startedAt: deps.startedAt(),
      trials: s.summary.trials,
      hits: s.summary.hits,
      bestStreak: s.summary.bestStreak,
    };
    const progress = sessionProgress(
      deps.history,
      played,
      s.elapsedSeconds,
      localDayOf,
      s.summary.test,
    );
    store.setState({ endOfSession: progress });
    deps.remember(played);
    // After the machine's own "All done" (said right after it publishes the end): this replaces it.
    setTimeout(() => deps.say(spokenSummary(progress, deps.thing())), 0);
  });
}
