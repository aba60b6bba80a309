import { createStore } from 'zustand/vanilla';
import type { LiveSessionInfo } from '../../../shared/protocol/live';
import type { TrialResult } from '../../../shared/protocol/trial';
import {
  initialControlState,
  reduceControl,
  type ControlEvent,
  type ControlState,
} from '../live/control-machine';

/** The feed keeps the whole session (a plan is at most a few hundred trials). */
const MAX_FEED_TRIALS = 2000;

export type WatchStatus = 'idle' | 'watching' | 'error';

/** What the live page renders. Pose frames do not pass through here: they go to the pose ring. */
export interface LiveViewState {
  patientId: string | null;
  watchStatus: WatchStatus;
  watchError: string | null;
  watchingSinceMs: number;
  live: LiveSessionInfo | null;
  /** trials of the current session, oldest first */
  trials: TrialResult[];
  /** wall-clock ms when the newest trial arrived, to measure end-to-end latency against endedAt */
  lastTrialReceivedAt: number | null;
  control: ControlState;
  startWatching(patientId: string, atMs: number): void;
  watchAnswered(live: LiveSessionInfo | null): void;
  watchFailed(message: string): void;
  stopWatching(): void;
  sessionChanged(live: LiveSessionInfo): void;
  trialArrived(trial: TrialResult, receivedAt: number): void;
  controlEvent(event: ControlEvent): void;
}

export function createLiveStore() {
  return createStore<LiveViewState>()((set, get) => ({
    patientId: null,
    watchStatus: 'idle',
    watchError: null,
    watchingSinceMs: 0,
    live: null,
    trials: [],
    lastTrialReceivedAt: null,
    control: initialControlState(),
    startWatching(patientId, atMs) {
      set({
        patientId,
        watchStatus: 'idle',
        watchError: null,
        watchingSinceMs: atMs,
        live: null,
        trials: [],
        lastTrialReceivedAt: null,
        control: initialControlState(),
      });
    },
    watchAnswered(live) {
      set({ watchStatus: 'watching', live });
    },
    watchFailed(message) {
      set({ watchStatus: 'error', watchError: message });
    },
    stopWatching() {
      set({ patientId: null, watchStatus: 'idle', live: null, trials: [] });
    },
    sessionChanged(live) {
      if (live.patientId !== get().patientId) return;
      const previous = get().live;
      const newSession = previous !== null && previous.sessionId !== live.sessionId;
      set(newSession ? { live, trials: [], control: initialControlState() } : { live });
    },
    trialArrived(trial, receivedAt) {
      const { live, trials } = get();
      if (live !== null && trial.sessionId !== live.sessionId) return;
      if (trials.some((t) => t.id === trial.id)) return;
      set({ trials: [...trials, trial].slice(-MAX_FEED_TRIALS), lastTrialReceivedAt: receivedAt });
    },
    controlEvent(event) {
      set({ control: reduceControl(get().control, event) });
    },
  }));
}

export type LiveStore = ReturnType<typeof createLiveStore>;
