import { describe, expect, it } from 'vitest';
import {
  buildPerformanceMap,
  mapSnapshotWithoutSession,
  mapToSnapshot,
  performanceMap,
  personalTrial,
  sectorOf,
  withDifficultyChange,
  type MapSnapshot,
  type SessionPlan,
} from '../../../shared/clinical';
import {
  decideResume,
  parseResumeSnapshot,
  type ResumeSnapshot,
} from '../../../shared/game/session-resume';
import type { SessionConfig } from '../../../shared/game/session';
import {
  earlierTrials,
  playSession,
  playTouches,
  touchPlan,
  workspace,
  type PlayedSession,
} from './session-fixtures';

/**
 * A reload in the middle of a session after the therapist changed it live: the resume snapshot
 * carries the change, so the session goes on as it was (placement, both arms' difficulty, the
 * performance map with the trials the server has not got yet).
 */

/** An earlier session's map (movement times varying within each sector). */
const priorTrials = () => earlierTrials((i) => 1 + i / 20);
const sentAtStart: MapSnapshot = mapToSnapshot(buildPerformanceMap(priorTrials(), 'right'));

/** What the headset stored last (as JSON in localStorage), read back as a reloaded page reads it. */
function storedSnapshot(s: PlayedSession): ResumeSnapshot {
  const last = s.of('progress').at(-1)!.snapshot;
  const parsed = parseResumeSnapshot(JSON.parse(JSON.stringify({ ...last, patientId: 'p1' })));
  expect(parsed).not.toBeNull();
  return parsed!;
}

/** The reloaded page's session, taking the snapshot up. */
const resumed = (p: SessionPlan, snapshot: ResumeSnapshot, config: Partial<SessionConfig> = {}) =>
  playSession(p, { ...config, resume: snapshot, seed: 7 });

describe('a live placement change survives a reload', () => {
  it('sector placement set live goes on after the reload, explained once', () => {
    const p = touchPlan({ mode: 'balanced' }, 12);
    const s = playSession(p, { performanceMaps: { right: sentAtStart } });
    playTouches(s, 2);
    // A sector that balanced placement reaches at this level: the one of trial 1's target.
    const chosen = sectorOf(workspace, s.trials()[0]!.target)!;
    expect(
      s.apply({ type: 'setPlacement', placement: { mode: 'sector', sectors: [chosen] } }),
    ).toBeNull();
    const snapshot = storedSnapshot(s);
    expect(snapshot.placement).toEqual({ mode: 'sector', sectors: [chosen] });
    // Trial 3's target was placed again under the change; its explanation waits for its record.
    expect(snapshot.placementReason).toMatch(/^Targets only where the therapist chose/);
    expect(snapshot.placementSummaries?.right).toEqual({ mode: 'sector', sectors: [chosen] });

    const again = resumed(p, snapshot, { performanceMaps: { right: sentAtStart } });
    expect(again.state.placement).toEqual({ mode: 'sector', sectors: [chosen] });
    const after = playTouches(again, 6);
    expect(after.map((t) => t.trialNumber)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(new Set(after.map((t) => sectorOf(again.state.workspaces.right!, t.target)))).toEqual(
      new Set([chosen]),
    );
    // Explained once, on the first trial placed under it; not again because the page reloaded.
    expect(after.map((t) => t.placementReason ?? null)).toEqual([
      snapshot.placementReason,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('a focus placement set live, then balanced again: the reloaded session is balanced, silently', () => {
    const p = touchPlan({ mode: 'focus' }, 12);
    const s = playSession(p, { performanceMaps: { right: sentAtStart } });
    playTouches(s, 2);
    expect(s.apply({ type: 'setPlacement', placement: { mode: 'balanced' } })).toBeNull();
    playTouches(s, 3);
    const snapshot = storedSnapshot(s);
    expect(snapshot.placement).toEqual({ mode: 'balanced' });
    const again = resumed(p, snapshot, { performanceMaps: { right: sentAtStart } });
    expect(again.state.placement).toEqual({ mode: 'balanced' });
    expect(playTouches(again, 2).map((t) => t.placementReason ?? null)).toEqual([null, null]);
  });
});

describe('live task, arm and difficulty changes survive a reload', () => {
  it("a change of the other arm's difficulty (bounds, target size) is saved at once", () => {
    const p = touchPlan({ mode: 'balanced' }, 12);
    const s = playSession(p, { levels: { right: 50, left: 70 } });
    playTouches(s, 2);
    const change = { minLevel: 20, maxLevel: 60, radius: { easy: 0.1, hard: 0.05 } };
    expect(s.apply({ type: 'setDifficulty', arm: 'left', change })).toBeNull();
    const snapshot = storedSnapshot(s);
    expect(snapshot.difficulty.left).toMatchObject(change);
    // The left arm's level, 70, is brought inside its new bounds.
    expect(snapshot.levels).toEqual({ left: 60, right: s.state.levels.right });
    const again = resumed(p, snapshot, { levels: { right: 50, left: 70 } });
    expect(again.state.difficulty.left).toEqual(s.state.difficulty.left);
    expect(again.state.levels.left).toBe(60);
  });

  it("task, arm and the playing arm's bounds and target size resume as set", () => {
    const p = touchPlan({ mode: 'balanced' }, 12);
    const s = playSession(p, { calibration: { right: workspace, left: leftWorkspace } });
    playTouches(s, 1);
    s.apply({ type: 'setTask', task: 'hold' });
    s.apply({ type: 'setArm', arm: 'left' });
    const change = { maxLevel: 40, radius: { easy: 0.12, hard: 0.06 } };
    s.apply({ type: 'setDifficulty', arm: 'left', change });
    const snapshot = storedSnapshot(s);
    const again = resumed(p, snapshot, { calibration: { right: workspace, left: leftWorkspace } });
    again.runTo(0.02);
    expect(again.view()).toMatchObject({ task: 'hold', arm: 'left', level: 40 });
    expect(again.state.difficulty.left).toMatchObject(change);
    expect(again.view().params.targetRadius).toBeCloseTo(s.view().params.targetRadius, 12);
  });

  it('a difficulty change kept for later sessions (written into the plan) does not end the session', () => {
    const p = touchPlan({ mode: 'balanced' }, 12);
    const s = playSession(p);
    playTouches(s, 2);
    const change = { radius: { easy: 0.1, hard: 0.03 } };
    s.apply({ type: 'setDifficulty', arm: 'right', change, keep: true });
    const snapshot = storedSnapshot(s);
    // What the server stores as the patient's plan, and the reloaded page fetches.
    const kept: SessionPlan = {
      ...p,
      difficulty: withDifficultyChange(p.difficulty, 'right', change),
    };
    const context = { nowMs: Date.parse(snapshot.savedAt) + 60_000, patientId: 'p1' };
    expect(decideResume(snapshot, { ...context, plan: kept }).kind).toBe('resume');
    // Another change of the plan's difficulty (the therapist's plan editor) still ends it.
    const edited: SessionPlan = {
      ...p,
      difficulty: withDifficultyChange(p.difficulty, 'right', { gain: 4 }),
    };
    expect(decideResume(snapshot, { ...context, plan: edited })).toMatchObject({
      kind: 'abandon',
      why: 'plan_changed',
    });
    // So does a kept change beside another edit of the plan.
    expect(decideResume(snapshot, { ...context, plan: { ...kept, restSeconds: 10 } }).kind).toBe(
      'abandon',
    );
  });
});

describe("the therapist's or a pain rating's pause, and a rating not answered, survive a reload", () => {
  const twoSets: SessionPlan = {
    ...touchPlan({ mode: 'balanced' }, 12),
    tasks: [{ task: 'touch', sets: 2, repetitions: 2 }],
  };
  const ratings = { enabled: true, painPauseAt: 5 };

  it("the therapist's pause holds after the reload until the therapist resumes", () => {
    const s = playSession(twoSets);
    playTouches(s, 1);
    expect(s.apply({ type: 'pause' })).toBeNull();
    // The page reloads (the headset's own pause comes first, and changes nothing).
    s.step({ type: 'pause', by: 'focus_lost' });
    const snapshot = storedSnapshot(s);
    expect(snapshot.heldBy).toBe('therapist');
    const again = resumed(twoSets, snapshot);
    again.runTo(5);
    expect(again.view()).toMatchObject({ status: 'paused', pausedBy: 'therapist', targets: [] });
    expect(again.trials()).toEqual([]);
    expect(again.apply({ type: 'resume' })).toBeNull();
    expect(playTouches(again, 1).map((t) => t.trialNumber)).toEqual([2]);
  });

  it('a pause the therapist already ended does not come back with the reload', () => {
    const s = playSession(twoSets);
    playTouches(s, 1);
    s.apply({ type: 'pause' });
    s.apply({ type: 'resume' });
    s.step({ type: 'pause', by: 'focus_lost' });
    const snapshot = storedSnapshot(s);
    expect(snapshot.heldBy).toBeNull();
    const again = resumed(twoSets, snapshot);
    again.runTo(0.02);
    expect(again.view().status).toBe('instructions');
  });

  it('a rating not answered is asked again; a pain pause holds', () => {
    const s = playSession(twoSets, { ratings });
    playTouches(s, 2);
    s.runTo(s.input.t + 2);
    expect(s.view().rating).toEqual({ setIndex: 0, arm: 'right' });
    const asked = storedSnapshot(s);
    expect(asked.ratingDue).toEqual({ setIndex: 0, arm: 'right' });

    const again = resumed(twoSets, asked, { ratings });
    again.runTo(0.02);
    expect(again.view()).toMatchObject({ status: 'rating', rating: { setIndex: 0, arm: 'right' } });
    again.step({ type: 'rating', effort: 4, pain: 6 });
    expect(again.of('record-rating').map((e) => [e.rating.setIndex, e.rating.pain])).toEqual([
      [0, 6],
    ]);
    expect(again.view()).toMatchObject({ status: 'paused', pausedBy: 'pain' });

    // Reloaded again while paused for pain: still paused, the rating not asked twice.
    const third = resumed(twoSets, storedSnapshot(again), { ratings });
    third.runTo(3);
    expect(third.view()).toMatchObject({ status: 'paused', pausedBy: 'pain', rating: null });
    expect(third.of('record-rating')).toEqual([]);
    third.step({ type: 'gesture', action: 'resume' });
    expect(playTouches(third, 1).map((t) => [t.trialNumber, t.set])).toEqual([[3, 2]]);
  });
});

describe("the resumed session's performance map", () => {
  /** A session of 5 trials in focus mode, and the map it had before the page reloaded. */
  function playedBeforeReload() {
    const p = touchPlan({ mode: 'focus' }, 12);
    const s = playSession(p, { performanceMaps: { right: sentAtStart } });
    playTouches(s, 5);
    const snapshot = storedSnapshot(s);
    const mine = s.trials().map((t) => personalTrial(t, s.state.workspaces.right));
    return { p, s, snapshot, mine, before: performanceMap(s.state.maps.right) };
  }

  it('online, with 2 of the 5 trials stored by the server: the same map as before the reload', () => {
    const { p, snapshot, mine, before } = playedBeforeReload();
    // What the server sends with the plan at the reload: its map, with the delivered trials only.
    const server = mapToSnapshot(
      buildPerformanceMap([...priorTrials(), ...mine.slice(0, 2)], 'right'),
    );
    const again = resumed(p, snapshot, { performanceMaps: { right: server } });
    expect(performanceMap(again.state.maps.right)).toEqual(before);
  });

  it('online, with all 5 stored: none counted twice', () => {
    const { p, snapshot, mine, before } = playedBeforeReload();
    const server = mapToSnapshot(buildPerformanceMap([...priorTrials(), ...mine], 'right'));
    const again = resumed(p, snapshot, { performanceMaps: { right: server } });
    expect(performanceMap(again.state.maps.right)).toEqual(before);
  });

  it("offline, with the map cached at the session's start: the same map as before the reload", () => {
    const { p, snapshot, before } = playedBeforeReload();
    const again = resumed(p, snapshot, { performanceMaps: { right: sentAtStart } });
    expect(performanceMap(again.state.maps.right)).toEqual(before);
    // And without any map (a first session): the session's own trials.
    const fresh = resumed(p, snapshot, { performanceMaps: null });
    expect(fresh.state.maps.right.sessionIndex.size).toBe(1);
  });

  it('goes on counting: the next trial lands in the map as it would have without the reload', () => {
    const { p, s, snapshot } = playedBeforeReload();
    const again = resumed(p, snapshot, { performanceMaps: { right: sentAtStart } });
    const next = playTouches(again, 1)[0]!;
    const one = personalTrial(next, again.state.workspaces.right);
    const expected = buildPerformanceMap(
      [...priorTrials(), ...s.trials().map((t) => personalTrial(t, s.state.workspaces.right)), one],
      'right',
    );
    expect(performanceMap(again.state.maps.right)).toEqual(performanceMap(expected));
  });

  it('mapSnapshotWithoutSession drops exactly that session, and nothing without it', () => {
    const trials = priorTrials().slice(0, 30);
    const other = trials.map((t) => ({ ...t, sessionId: 'later' }));
    const both = mapToSnapshot(buildPerformanceMap([...trials, ...other], 'right'));
    expect(mapSnapshotWithoutSession(both, 'later')).toEqual(
      mapToSnapshot(buildPerformanceMap(trials, 'right')),
    );
    expect(mapSnapshotWithoutSession(both, 'unknown')).toBe(both);
  });
});

describe('snapshots saved before these fields existed', () => {
  it('still load and resume: the plan placement, and the map as the server sent it', () => {
    const p = touchPlan({ mode: 'focus' }, 12);
    const s = playSession(p, { performanceMaps: { right: sentAtStart } });
    playTouches(s, 3);
    const current = storedSnapshot(s);
    const {
      placement: _placement,
      placementSummaries: _summaries,
      placementReason: _reason,
      ...older
    } = current;
    const oldJson = JSON.parse(
      JSON.stringify({
        ...older,
        summaryTrials: older.summaryTrials.map(({ outcome, levelBefore, levelAfter, metrics }) => ({
          outcome,
          levelBefore,
          levelAfter,
          metrics,
        })),
      }),
    ) as Record<string, unknown>;
    expect(Object.keys(oldJson)).not.toContain('placement');
    const old = parseResumeSnapshot(oldJson);
    expect(old).not.toBeNull();
    expect(old!.summaryTrials[0]).toEqual({
      outcome: current.summaryTrials[0]!.outcome,
      levelBefore: current.summaryTrials[0]!.levelBefore,
      levelAfter: current.summaryTrials[0]!.levelAfter,
      metrics: current.summaryTrials[0]!.metrics,
    });
    const again = resumed({ ...p, placement: { mode: 'balanced' } }, old!, {
      performanceMaps: { right: sentAtStart },
    });
    // The plan of the snapshot (focus), as before these fields; the map as the server sent it.
    expect(again.state.placement).toEqual({ mode: 'focus' });
    expect(performanceMap(again.state.maps.right)).toEqual(
      performanceMap(buildPerformanceMap(priorTrials(), 'right')),
    );
    expect(playTouches(again, 1).map((t) => t.trialNumber)).toEqual([4]);
  });

  it('a damaged new field is refused like any damaged snapshot', () => {
    const p = touchPlan({ mode: 'balanced' }, 12);
    const s = playSession(p);
    playTouches(s, 1);
    const current = storedSnapshot(s);
    expect(parseResumeSnapshot({ ...current, placement: { mode: 'everywhere' } })).toBeNull();
    expect(
      parseResumeSnapshot({
        ...current,
        summaryTrials: [{ ...current.summaryTrials[0], sector: 24 }],
      }),
    ).toBeNull();
  });
});

/** The left arm's calibrated reach, mirrored. */
const leftWorkspace = {
  ...workspace,
  arm: 'left' as const,
  shoulder: [-0.18, 1.4, 0] as [number, number, number],
};
