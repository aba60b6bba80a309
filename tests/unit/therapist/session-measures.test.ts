import { describe, expect, it } from 'vitest';
import { summarizeSession, type SessionSummary } from '../../../shared/clinical';
import type { SessionRecord } from '../../../shared/protocol/http';
import { measurePoints, sessionMeasure } from '../../../client/therapist/history/session-measures';

const session = (
  summary: Partial<SessionRecord['summary']>,
  clinical?: SessionSummary,
): SessionRecord => ({
  id: '6f1c1a2e-8a4b-4f7e-9d3c-1b2a3c4d5e6f',
  patientId: 'p1',
  mode: 'live',
  startedAt: '2026-01-05T10:00:00.000Z',
  endedAt: '2026-01-05T10:30:00.000Z',
  endReason: 'plan_complete',
  summary: {
    trials: 10,
    hits: 7,
    successRate: 0.7,
    levelStart: 20,
    levelEnd: 25,
    activeMinutes: 4.5,
    reachWorkspace: 0.42,
    ...summary,
  },
  clinical,
});

describe('sessionMeasure', () => {
  it('charts active minutes (time in trials), not the wall-clock session length', () => {
    expect(sessionMeasure(session({}), 'activeMinutes')).toBe(4.5);
  });
  it('charts the calibrated reach workspace, a gap when unknown', () => {
    expect(sessionMeasure(session({}), 'reachWorkspace')).toBe(0.42);
    expect(sessionMeasure(session({ reachWorkspace: null }), 'reachWorkspace')).toBeNull();
  });
  it('reads success as a percentage and metric means from the clinical summary', () => {
    expect(sessionMeasure(session({}), 'successRate')).toBeCloseTo(70, 10);
    const clinical = summarizeSession([
      { outcome: 'hit', levelBefore: 20, levelAfter: 25, metrics: { movementTime: 1.25 } },
    ]);
    const withClinical = session({}, clinical);
    expect(sessionMeasure(withClinical, 'movementTime')).toBe(1.25);
    expect(sessionMeasure(session({}), 'movementTime')).toBeNull();
  });
  it('makes one point per session', () => {
    expect(measurePoints([session({}), session({ activeMinutes: 2 })], 'activeMinutes')).toEqual([
      { startedAt: '2026-01-05T10:00:00.000Z', value: 4.5 },
      { startedAt: '2026-01-05T10:00:00.000Z', value: 2 },
    ]);
  });
});
