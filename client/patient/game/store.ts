import { create } from 'zustand';
import type {
  Arm,
  LiveState,
  TrialOutcome,
  SessionStatus,
  Task,
  Vec3,
  Workspace,
} from '../../../shared/protocol';
import type { DifficultyParams, SessionSummary } from '../../../shared/clinical';
import type { CalibrationDirection } from '../../../shared/game/calibration';

export type GameStatus = 'idle' | SessionStatus;
export type PausedBy = LiveState['pausedBy'];

export interface SceneTarget {
  id: string;
  kind: 'target' | 'object' | 'goal';
  /** Play space (anchored at session start / recenter). */
  position: Vec3;
  /** XR reference space, what the headset's tracking reports. */
  worldPosition: Vec3;
  radius: number;
}

export interface TrialDigest {
  trialNumber: number;
  task: Task;
  arm: Arm;
  outcome: TrialOutcome;
  tContact: number | null;
  levelBefore: number;
  levelAfter: number;
  reason: string;
  target: Vec3;
  insideWorkspace: boolean;
  trunkCompensation: boolean;
  movementTime: number | null;
  pathRatio: number | null;
  peakSpeed: number | null;
  sparc: number | null;
  flags: string[];
}

export interface GameSnapshot {
  mode: 'paired' | 'practice';
  sessionId: string;
  status: GameStatus;
  pausedBy: PausedBy;
  task: Task;
  arm: Arm;
  set: number;
  level: number;
  params: DifficultyParams;
  trialNumber: number;
  score: number;
  streak: number;
  bestStreak: number;
  targets: SceneTarget[];
  restSecondsLeft: number | null;
  elapsedSeconds: number;
  inputMode: 'controllers' | 'hands' | 'none';
  workspace: Workspace | null;
  calibrationStep: CalibrationDirection | null;
  instruction: string;
  feedback: string;
  trials: TrialDigest[];
  outboxLength: number;
  inVR: boolean;
  summary: (SessionSummary & { levelStart: number; levelEnd: number; bestStreak: number }) | null;
  lastCommand: string | null;
}

/**
 * What the game shows and reports. Written only on changes by the engine (never per frame), read
 * by React panels, the live stream and the test handle.
 */
export const useGame = create<GameSnapshot>(() => ({
  mode: 'practice',
  sessionId: '',
  status: 'idle',
  pausedBy: null,
  task: 'touch',
  arm: 'right',
  set: 1,
  level: 50,
  params: { distanceFraction: 0, targetRadius: 0, timeLimit: 0, spreadDeg: 0 },
  trialNumber: 0,
  score: 0,
  streak: 0,
  bestStreak: 0,
  targets: [],
  restSecondsLeft: null,
  elapsedSeconds: 0,
  inputMode: 'none',
  workspace: null,
  calibrationStep: null,
  instruction: '',
  feedback: '',
  trials: [],
  outboxLength: 0,
  inVR: false,
  summary: null,
  lastCommand: null,
}));
