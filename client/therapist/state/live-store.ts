import { createStore } from 'zustand/vanilla';
import type { LiveSessionInfo, LiveWorldMenu } from '../../../shared/protocol/live';
import type { TrialResult } from '../../../shared/protocol/trial';
import type { StoredSetRating } from '../../../shared/protocol/rating';
import type { StoredAbnormalAlert, TrialFlags } from '../../../shared/protocol/flags';
import {
  initialControlState,
  reduceControl,
  type ControlEvent,
  type ControlState,
} from './control-machine';

/** The feed keeps the whole session (a plan is at most a few hundred trials). */
const MAX_FEED_TRIALS = 2000;

/**
 * The feed's trials plus `incoming`, each trial once (by id), in the order they were played: a
 * fetch after a reconnect and the live events it overlaps with may bring the same trial twice.
 */
export function mergeTrials(
  trials: readonly TrialResult[],
  incoming: readonly TrialResult[],
): TrialResult[] {
  const byId = new Map<string, TrialResult>();
  for (const t of trials) byId.set(t.id, t);
  for (const t of incoming) if (!byId.has(t.id)) byId.set(t.id, t);
  return [...byId.values()]
    .sort((a, b) => a.trialNumber - b.trialNumber || Date.parse(a.endedAt) - Date.parse(b.endedAt))
    .slice(-MAX_FEED_TRIALS);
}

/**
 * The feed's ratings plus `incoming`, one per set (the first stored stands, as on the server), in
 * set order.
 */
export function mergeRatings(
  ratings: readonly StoredSetRating[],
  incoming: readonly StoredSetRating[],
): StoredSetRating[] {
  const bySet = new Map<number, StoredSetRating>();
  for (const r of ratings) bySet.set(r.setIndex, r);
  for (const r of incoming) if (!bySet.has(r.setIndex)) bySet.set(r.setIndex, r);
  return [...bySet.values()].sort((a, b) => a.setIndex - b.setIndex);
}

/** The session's alerts against the patient's own baseline, as the server raised them. */
export interface PersonalAlerts {
  /**
   * The latest abnormal-trial alert (the server sends at most one a minute), with the trial it
   * came with: a stored one fetched after (re)connecting replaces it only when it is later.
   */
  abnormal: { trials: number; text: string; trialId: string } | null;
  /** The session's fatigue report (sent once). */
  fatigue: string | null;
}
const noPersonalAlerts = (): PersonalAlerts => ({ abnormal: null, fatigue: null });

/**
 * The abnormal-trial alert to show after a catch-up: the one held (arrived live, or fetched
 * before) unless the stored one (`fetched`, the session's latest) came with a later trial of the
 * feed. A live alert that overtook the fetch stands; the same alert is never shown twice.
 */
export function laterAlert(
  feed: readonly TrialResult[],
  held: PersonalAlerts['abnormal'],
  fetched: StoredAbnormalAlert | null,
): PersonalAlerts['abnormal'] {
  if (fetched === null) return held;
  const at = (trialId: string) => feed.findIndex((t) => t.id === trialId);
  const fetchedAt = at(fetched.trialId);
  // Not a trial of this session's feed (another session's, or cut off): not this alert.
  if (fetchedAt === -1) return held;
  if (held !== null && at(held.trialId) >= fetchedAt) return held;
  return { trials: fetched.trials, text: fetched.text, trialId: fetched.trialId };
}

export type WatchStatus = 'idle' | 'watching' | 'error';

/** What the live page renders. Pose frames do not pass through here: they go to the pose ring. */
export interface LiveViewState {
  patientId: string | null;
  watchStatus: WatchStatus;
  watchError: string | null;
  watchingSinceMs: number;
  live: LiveSessionInfo | null;
  /**
   * A headset of the patient shows the world menu (the patient chooses where to play, before the
   * session starts); null otherwise.
   */
  worldMenu: LiveWorldMenu | null;
  /** trials of the current session, oldest first */
  trials: TrialResult[];
  /** the patient's set-end ratings of the current session, in set order */
  ratings: StoredSetRating[];
  /**
   * How each trial compares with the patient's own baseline, by trial id: as `live:trial` carried
   * it, or as stored for a trial fetched after (re)connecting (only the unusual ones are stored).
   */
  trialFlags: Record<string, TrialFlags>;
  personalAlerts: PersonalAlerts;
  /** wall-clock ms when the newest trial arrived, to measure end-to-end latency against endedAt */
  lastTrialReceivedAt: number | null;
  control: ControlState;
  startWatching(patientId: string, atMs: number): void;
  watchAnswered(live: LiveSessionInfo | null, worldMenu?: LiveWorldMenu): void;
  /** `live:world-menu`: shown (with its countdown and choice) or closed (`menu` null). */
  worldMenuChanged(worldMenu: LiveWorldMenu): void;
  watchFailed(message: string): void;
  stopWatching(): void;
  sessionChanged(live: LiveSessionInfo): void;
  trialArrived(trial: TrialResult, receivedAt: number, flags?: TrialFlags): void;
  /**
   * The session's stored trials, the flags stored for them and its latest abnormal-trial alert,
   * fetched after (re)connecting: added to the feed once each, drawn like live ones.
   */
  trialsFetched(
    trials: readonly TrialResult[],
    flags?: readonly { trialId: string; flags: TrialFlags }[],
    alert?: StoredAbnormalAlert | null,
  ): void;
  /** A set's rating, live or fetched after (re)connecting: kept once per set of this session. */
  ratingsArrived(ratings: readonly StoredSetRating[]): void;
  controlEvent(event: ControlEvent): void;
}

export function createLiveStore() {
  return createStore<LiveViewState>()((set, get) => ({
    patientId: null,
    watchStatus: 'idle',
    watchError: null,
    watchingSinceMs: 0,
    live: null,
    worldMenu: null,
    trials: [],
    ratings: [],
    trialFlags: {},
    personalAlerts: noPersonalAlerts(),
    lastTrialReceivedAt: null,
    control: initialControlState(),
    startWatching(patientId, atMs) {
      set({
        patientId,
        watchStatus: 'idle',
        watchError: null,
        watchingSinceMs: atMs,
        live: null,
        worldMenu: null,
        trials: [],
        ratings: [],
        trialFlags: {},
        personalAlerts: noPersonalAlerts(),
        lastTrialReceivedAt: null,
        control: initialControlState(),
      });
    },
    watchAnswered(live, worldMenu) {
      // Another session may have started while this page was disconnected.
      const previous = get().live;
      const newSession =
        previous !== null && live !== null && previous.sessionId !== live.sessionId;
      set(
        newSession
          ? {
              watchStatus: 'watching',
              live,
              worldMenu: worldMenu ?? null,
              trials: [],
              ratings: [],
              trialFlags: {},
              personalAlerts: noPersonalAlerts(),
              control: initialControlState(),
            }
          : { watchStatus: 'watching', live, worldMenu: worldMenu ?? null },
      );
    },
    worldMenuChanged(worldMenu) {
      if (worldMenu.patientId !== get().patientId) return;
      const shown = get().worldMenu;
      if (worldMenu.menu !== null) return set({ worldMenu });
      // Closed: only the menu shown (another headset's closing menu is not this one).
      if (shown?.poseAlias === worldMenu.poseAlias) set({ worldMenu: null });
    },
    watchFailed(message) {
      set({ watchStatus: 'error', watchError: message });
    },
    stopWatching() {
      set({
        patientId: null,
        watchStatus: 'idle',
        live: null,
        worldMenu: null,
        trials: [],
        ratings: [],
        trialFlags: {},
        personalAlerts: noPersonalAlerts(),
      });
    },
    sessionChanged(live) {
      if (live.patientId !== get().patientId) return;
      const previous = get().live;
      const newSession = previous !== null && previous.sessionId !== live.sessionId;
      // A session starting is the chosen world's: its menu is over (the server says so too).
      const worldMenu =
        !live.endedAt && previous?.sessionId !== live.sessionId ? null : get().worldMenu;
      if (newSession)
        return set({
          live,
          worldMenu,
          trials: [],
          ratings: [],
          trialFlags: {},
          personalAlerts: noPersonalAlerts(),
          control: initialControlState(),
        });
      // An ended session stays ended: a scene state relayed just before its end may arrive after.
      const ended = previous?.endedAt ? previous : null;
      set({
        worldMenu,
        live:
          ended && !live.endedAt
            ? { ...live, endedAt: ended.endedAt, endReason: ended.endReason }
            : live,
      });
    },
    trialArrived(trial, receivedAt, flags) {
      const { live, trials, trialFlags, personalAlerts } = get();
      if (live !== null && trial.sessionId !== live.sessionId) return;
      if (trials.some((t) => t.id === trial.id)) return;
      set({
        trials: [...trials, trial].slice(-MAX_FEED_TRIALS),
        lastTrialReceivedAt: receivedAt,
        ...(flags && {
          trialFlags: { ...trialFlags, [trial.id]: flags },
          personalAlerts: {
            abnormal: flags.alert
              ? { trials: flags.alert.trials, text: flags.alert.text, trialId: trial.id }
              : personalAlerts.abnormal,
            fatigue: flags.fatigue ?? personalAlerts.fatigue,
          },
        }),
      });
    },
    trialsFetched(fetched, storedFlags = [], alert = null) {
      const { live, trials, trialFlags, personalAlerts } = get();
      if (live === null) return;
      const ofSession = fetched.filter((t) => t.sessionId === live.sessionId);
      const merged = mergeTrials(trials, ofSession);
      const inFeed = new Set(merged.map((t) => t.id));
      // What arrived live stands (it may carry the alert the stored copy leaves out).
      const missing = storedFlags.filter((f) => inFeed.has(f.trialId) && !trialFlags[f.trialId]);
      const abnormal = laterAlert(merged, personalAlerts.abnormal, alert);
      if (
        merged.length === trials.length &&
        missing.length === 0 &&
        abnormal === personalAlerts.abnormal
      )
        return;
      const fatigue = missing.find((f) => f.flags.fatigue !== undefined)?.flags.fatigue;
      set({
        trials: merged,
        ...(missing.length > 0 && {
          trialFlags: {
            ...trialFlags,
            ...Object.fromEntries(missing.map((f) => [f.trialId, f.flags])),
          },
        }),
        personalAlerts: {
          abnormal,
          fatigue: personalAlerts.fatigue ?? fatigue ?? null,
        },
      });
    },
    ratingsArrived(incoming) {
      const { live, ratings } = get();
      if (live === null) return;
      const ofSession = incoming.filter((r) => r.sessionId === live.sessionId);
      const merged = mergeRatings(ratings, ofSession);
      if (merged.length !== ratings.length) set({ ratings: merged });
    },
    controlEvent(event) {
      set({ control: reduceControl(get().control, event) });
    },
  }));
}

export type LiveStore = ReturnType<typeof createLiveStore>;
