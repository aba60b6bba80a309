import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PLAN, type SessionPlan } from '../../../shared/clinical';
import { readResumeSnapshot, saveResumeSnapshot } from '../../../client/patient/game/resume-store';
import { playSession } from './session-fixtures';
import { stubLocalStorage } from '../../support/memory-storage';

beforeEach(() => stubLocalStorage());
afterEach(() => vi.unstubAllGlobals());

const plan: SessionPlan = {
  ...DEFAULT_PLAN,
  tasks: [{ task: 'touch', sets: 1, repetitions: 6 }],
  restSeconds: 0,
  assessment: false,
};

describe("the headset's stored resume snapshot", () => {
  it('keeps the live changes through localStorage, as a reloaded page reads them', () => {
    const s = playSession(plan);
    s.runTo(0.02);
    s.apply({ type: 'setPlacement', placement: { mode: 'sector', sectors: [3, 11] } });
    s.apply({ type: 'setDifficulty', arm: 'left', change: { maxLevel: 30 } });
    s.apply({ type: 'pause' });
    const snapshot = { ...s.of('progress').at(-1)!.snapshot, patientId: 'p1' };
    saveResumeSnapshot(snapshot);
    const read = readResumeSnapshot();
    expect(read).toEqual(JSON.parse(JSON.stringify(snapshot)));
    expect(read).toMatchObject({
      placement: { mode: 'sector', sectors: [3, 11] },
      difficulty: { left: { maxLevel: 30 } },
      heldBy: 'therapist',
      ratingDue: null,
    });
  });

  it('reads one stored by the version before these fields', () => {
    const s = playSession(plan);
    s.runTo(0.02);
    const {
      placement: _p,
      placementSummaries: _s,
      placementReason: _r,
      heldBy: _h,
      ratingDue: _d,
      ...older
    } = s.of('progress').at(-1)!.snapshot;
    localStorage.setItem('reach.resumableSession', JSON.stringify({ ...older, patientId: 'p1' }));
    expect(readResumeSnapshot()).toMatchObject({ sessionId: s.state.sessionId, trialsDone: 0 });
  });
});
