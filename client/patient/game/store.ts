import { create, type StoreApi, type UseBoundStore } from 'zustand';
import {
  initialView,
  type SceneTarget as PlayTarget,
  type SessionView,
} from '../../../shared/game/session/view';
import type { Vec3 } from '../../../shared/protocol';
import type { SessionProgress } from '../../../shared/game/progress';

export type { PausedBy, TrialDigest } from '../../../shared/game/session/view';
export type GameStatus = SessionView['status'];

export interface SceneTarget extends PlayTarget {
  /** XR reference space, what the headset's tracking reports (as anchored when it was shown). */
  worldPosition: Vec3;
}

export interface GameSnapshot extends Omit<SessionView, 'targets'> {
  targets: SceneTarget[];
  outboxLength: number;
  inVR: boolean;
  /** Once the session has ended: what the end scene shows (this session against the history). */
  endOfSession: SessionProgress | null;
}

export type GameStore = UseBoundStore<StoreApi<GameSnapshot>>;

/**
 * What the game shows and reports: the session machine's published view, plus the page's own
 * outbox length, VR state and end-of-session progress. Written only on changes (never per
 * frame), read by React panels, the live stream and the test handle. One per page, made by the
 * composition root.
 */
export function createGameStore(): GameStore {
  return create<GameSnapshot>(() => ({
    ...initialView(),
    targets: [],
    outboxLength: 0,
    inVR: false,
    endOfSession: null,
  }));
}
