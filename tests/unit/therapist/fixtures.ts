import type { LiveSessionInfo } from '../../../shared/protocol/live';
import type { TrialResult } from '../../../shared/protocol/trial';

export const SESSION_ID = '33333333-3333-4333-8333-333333333333';

export function makeTrial(n: number, overrides: Partial<TrialResult> = {}): TrialResult {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    sessionId: SESSION_ID,
    trialNumber: n,
    task: 'touch',
    arm: 'right',
    set: 1,
    startedAt: '2026-01-01T10:00:00.000Z',
    endedAt: '2026-01-01T10:00:03.000Z',
    levelBefore: 50,
    levelAfter: 52,
    params: { distanceFraction: 0.675, targetRadius: 0.04, timeLimit: 3, spreadDeg: 70 },
    target: [0.2, 1.1, -0.4],
    outcome: 'hit',
    tContact: 1.2,
    reason: 'a hit',
    inputMode: 'controllers',
    metrics: {
      reactionTime: 0.3,
      movementTime: 0.9,
      peakSpeed: 0.6,
      timeToPeakPct: 45,
      pathLength: 0.31,
      straightDistance: 0.3,
      pathRatio: 1.03,
      maxPerpDeviation: 0.01,
      speedPeaks: 1,
      sparc: -1.5,
      ldlj: -5,
      normalizedJerk: 10,
      meanJerk: 20,
      endpointError: 0.01,
      endpointAlong: 0.005,
      endpointPerp: 0.008,
      minDistanceToTarget: 0.01,
      trunkForward: 0.02,
      trunkMax: 0.03,
      trunkRatioPct: 5,
      iOnset: 10,
      iPeak: 40,
      iOffset: 80,
      flags: [],
      specVersion: '1',
    },
    trunkCompensation: false,
    assessment: false,
    ...overrides,
  };
}

export function makeLive(
  overrides: Partial<NonNullable<LiveSessionInfo['state']>> = {},
): LiveSessionInfo {
  return {
    patientId: 'p1',
    sessionId: SESSION_ID,
    poseAlias: 'alias-01',
    mode: 'live',
    startedAt: '2026-01-01T10:00:00.000Z',
    deviceConnected: true,
    state: {
      sessionId: SESSION_ID,
      status: 'running',
      pausedBy: null,
      task: 'touch',
      arm: 'right',
      level: 50,
      params: { distanceFraction: 0.675, targetRadius: 0.04, timeLimit: 3, spreadDeg: 70 },
      trialNumber: 1,
      score: 0,
      streak: 0,
      targets: [],
      restSecondsLeft: null,
      elapsedSeconds: 60,
      inputMode: 'controllers',
      workspace: null,
      instruction: '',
      ...overrides,
    },
  };
}
