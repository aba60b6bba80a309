import { randomUUID } from 'node:crypto';
import type { LiveState, Trial } from '../../shared/protocol';

/** Valid wire payloads as the headset sends them. */

/** Plausible measures of one reach. */
export const TRIAL_METRICS: Trial['metrics'] = {
  reactionTime: 0.3,
  movementTime: 0.9,
  peakSpeed: 0.8,
  timeToPeakPct: 45,
  pathLength: 0.4,
  straightDistance: 0.35,
  pathRatio: 1.14,
  maxPerpDeviation: 0.02,
  speedPeaks: 1,
  sparc: -1.5,
  ldlj: -6,
  normalizedJerk: null,
  meanJerk: null,
  endpointError: 0.01,
  endpointAlong: 0.005,
  endpointPerp: 0.008,
  minDistanceToTarget: 0.01,
  trunkForward: 0.02,
  trunkMax: 0.03,
  trunkRatioPct: 5,
  iOnset: 10,
  iPeak: 40,
  iOffset: 90,
  flags: [],
  specVersion: '1.0.0',
};

export interface TrialTiming {
  /** When the trial started (ms since the epoch); it lasts 2 s. */
  startMs: number;
  /** The level before; the trial raises it by one. */
  levelBefore: number;
}

/**
 * A valid finished trial with `samples` samples at 90 Hz; every third one is a miss. Without
 * `timing` it ended a second ago at level 20.
 */
export function makeTrial(
  sessionId: string,
  trialNumber: number,
  samples = 90,
  timing: TrialTiming = { startMs: Date.now() - 3000, levelBefore: 20 },
): Trial {
  return {
    id: randomUUID(),
    sessionId,
    trialNumber,
    task: 'touch',
    arm: 'right',
    set: 1,
    startedAt: new Date(timing.startMs).toISOString(),
    endedAt: new Date(timing.startMs + 2000).toISOString(),
    levelBefore: timing.levelBefore,
    levelAfter: timing.levelBefore + 1,
    params: { distanceFraction: 0.6, targetRadius: 0.05, timeLimit: 4, spreadDeg: 40 },
    target: [0.1, 1.1, -0.4],
    outcome: trialNumber % 3 === 0 ? 'miss_too_slow' : 'hit',
    tContact: trialNumber % 3 === 0 ? null : 1.2,
    reason: 'hit: level up',
    inputMode: 'controllers',
    metrics: TRIAL_METRICS,
    trunkCompensation: false,
    assessment: false,
    samples: {
      fs: 90,
      t: Array.from({ length: samples }, (_, i) => i / 90),
      hand: Array.from({ length: samples }, (_, i) => [0.001 * i, 1, -0.002 * i]),
      otherHand: [],
      head: Array.from({ length: samples }, () => [0, 1.6, 0]),
    },
  };
}

export function makeState(sessionId: string, overrides: Partial<LiveState> = {}): LiveState {
  return {
    sessionId,
    status: 'running',
    pausedBy: null,
    task: 'touch',
    arm: 'right',
    level: 25,
    params: { distanceFraction: 0.6, targetRadius: 0.05, timeLimit: 4, spreadDeg: 40 },
    trialNumber: 3,
    score: 120,
    streak: 2,
    targets: [{ id: 't1', kind: 'target', position: [0.1, 1.1, -0.4], radius: 0.05 }],
    restSecondsLeft: null,
    elapsedSeconds: 42,
    inputMode: 'controllers',
    workspace: null,
    instruction: 'Touch the star',
    ...overrides,
  };
}
