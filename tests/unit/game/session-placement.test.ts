import { describe, expect, it } from 'vitest';
import {
  buildPerformanceMap,
  DEFAULT_PLAN,
  difficultyParams,
  focusNeeds,
  focusShares,
  heightOf,
  mapToSnapshot,
  placePersonalTarget,
  sectorOf,
  type SectorId,
} from '../../../shared/clinical';
import { seededRandom } from '../../../shared/game/random';
import { controlCommandSchema } from '../../../shared/protocol';
import {
  earlierTrials,
  frameInput,
  playSession,
  playTouches,
  touchPlan,
  workspace,
} from './session-fixtures';

const priorMap = () => buildPerformanceMap(earlierTrials(), 'right');
const performanceMaps = { right: mapToSnapshot(priorMap()) };

const sectorsOf = (targets: { target: [number, number, number] }[]) =>
  targets.map((t) => sectorOf(workspace, t.target));

describe('the session machine places targets by the placement mode', () => {
  it('focus: the first target is exactly placePersonalTarget with the map the server sent', () => {
    const params = difficultyParams(50, DEFAULT_PLAN.difficulty.right);
    const needs = focusNeeds(priorMap()).map((n) => n.need);
    for (const seed of [1, 2, 3, 17, 99]) {
      const s = playSession(touchPlan({ mode: 'focus' }, 10), { seed, performanceMaps });
      const [first] = playTouches(s, 1);
      const expected = placePersonalTarget(
        workspace,
        params,
        { mode: 'focus', needs },
        seededRandom(seed),
        frameInput().effector.right,
      );
      first!.target.forEach((x, i) => expect(x).toBeCloseTo(expected.position[i]!, 12));
    }
  });

  it('focus: over many seeds the sectors of the targets follow focusShares; balanced does not', () => {
    const needs = focusNeeds(priorMap()).map((n) => n.need);
    const params = difficultyParams(50, DEFAULT_PLAN.difficulty.right);
    // What focus should give: for each candidate set, the sector by focusShares (the same draws
    // placePersonalTarget makes), averaged over many sets.
    const random = seededRandom(12345);
    const expectedUp = { n: 0, up: 0 };
    for (let i = 0; i < 1500; i++) {
      const placed = placePersonalTarget(workspace, params, { mode: 'focus', needs }, random);
      expectedUp.n++;
      if (placed.sector !== null && heightOf(placed.sector) === 'up') expectedUp.up++;
    }
    const expectedShare = expectedUp.up / expectedUp.n;
    const share = (mode: 'focus' | 'balanced') => {
      let up = 0;
      let n = 0;
      for (let seed = 1; seed <= 400; seed++) {
        // The first frame starts the session and places the first target.
        const s = playSession(touchPlan({ mode }, 1), { seed, performanceMaps });
        s.runTo(0.02);
        const sector = sectorOf(workspace, s.state.target);
        n++;
        if (sector !== null && heightOf(sector) === 'up') up++;
      }
      return up / n;
    };
    const focus = share('focus');
    const balanced = share('balanced');
    expect(Math.abs(focus - expectedShare)).toBeLessThan(0.06);
    expect(focus).toBeGreaterThan(1.5 * balanced);
    // focusShares gives the "up" sectors more than their even share whenever they are in reach.
    const reached = new Set<SectorId>();
    for (let i = 0; i < 200; i++) {
      const placed = placePersonalTarget(workspace, params, { mode: 'balanced' }, random);
      if (placed.sector !== null) reached.add(placed.sector);
    }
    const within = [...reached].sort((a, b) => a - b);
    const shares = focusShares(needs, within)!;
    for (const s of within)
      if (heightOf(s) === 'up') expect(shares.get(s)!).toBeGreaterThan(1 / within.length);
  }, 30_000);

  it('sector: after the therapist picks sectors live, every following target lies in them', () => {
    const balanced = sectorsOf(playTouches(playSession(touchPlan({ mode: 'balanced' }, 40)), 40));
    const counts = new Map<SectorId, number>();
    for (const s of balanced) if (s !== null) counts.set(s, (counts.get(s) ?? 0) + 1);
    const chosen = [...counts.entries()].sort((a, b) => b[1] - a[1])[1]![0];
    for (const seed of [1, 5, 9]) {
      const s = playSession(touchPlan({ mode: 'balanced' }, 14), { seed });
      playTouches(s, 2);
      expect(
        s.apply({ type: 'setPlacement', placement: { mode: 'sector', sectors: [chosen] } }),
      ).toBeNull();
      expect(s.state.placement).toEqual({ mode: 'sector', sectors: [chosen] });
      const trials = playTouches(s, 14);
      // Trial 3's target, not shown yet when the command came, is placed again under it.
      const after = trials.slice(2);
      expect(after).toHaveLength(12);
      expect(new Set(sectorsOf(after))).toEqual(new Set([chosen]));
      // The change is explained once, on the first trial placed under it.
      const reasons = trials.map((t) => t.placementReason ?? null);
      expect(reasons.filter((r) => r !== null)).toHaveLength(1);
      expect(reasons[2]).toMatch(/^Targets only where the therapist chose: .+ \(1 sector\)/);
    }
  });

  it('a plan in focus mode explains itself on the first trial; balanced says nothing', () => {
    const focus = playTouches(playSession(touchPlan({ mode: 'focus' }, 2), { performanceMaps }), 2);
    expect(focus[0]!.placementReason).toBe(
      'More targets up: 30 % success there against 90 % elsewhere.',
    );
    expect(focus[1]!.placementReason).toBeUndefined();
    const balanced = playTouches(playSession(touchPlan({ mode: 'balanced' }, 2)), 2);
    expect(balanced.map((t) => t.placementReason)).toEqual([undefined, undefined]);
  });

  it('switching back to balanced is explained; the map counts every trial of the session', () => {
    const s = playSession(touchPlan({ mode: 'focus' }, 6), { performanceMaps });
    playTouches(s, 2);
    expect(s.apply({ type: 'setPlacement', placement: { mode: 'balanced' } })).toBeNull();
    const trials = playTouches(s, 6);
    expect(
      trials.filter((t) => t.placementReason !== undefined).map((t) => t.placementReason),
    ).toEqual([
      'More targets up: 30 % success there against 90 % elsewhere.',
      'Targets spread evenly again (balanced placement), within the level’s spread.',
    ]);
    const map = s.state.maps.right;
    expect(map.currentSession).toBe(1);
    let thisSession = 0;
    for (const data of map.sectors) thisSession += data.trialsBySession.get(1) ?? 0;
    expect(thisSession).toBe(6);
  });

  it('publishes the placement in force: the plan’s from the start, the therapist’s once applied', () => {
    const s = playSession(touchPlan({ mode: 'focus' }, 4), { performanceMaps });
    expect(s.view().placement).toEqual({ mode: 'focus' });
    playTouches(s, 1);
    expect(
      s.apply({ type: 'setPlacement', placement: { mode: 'sector', sectors: [3, 17] } }),
    ).toBeNull();
    expect(s.view().placement).toEqual({ mode: 'sector', sectors: [3, 17] });
    playTouches(s, 2);
    expect(s.view().placement).toEqual({ mode: 'sector', sectors: [3, 17] });
  });

  it('placement commands are validated: bad modes, sector ids and extra fields are refused', () => {
    const ok = { type: 'setPlacement', placement: { mode: 'sector', sectors: [0, 23] } };
    expect(controlCommandSchema.safeParse(ok).success).toBe(true);
    for (const placement of [
      { mode: 'everywhere' },
      { mode: 'sector', sectors: [24] },
      { mode: 'sector', sectors: [-1] },
      { mode: 'sector', sectors: [1.5] },
      { mode: 'sector', sectors: Array.from({ length: 25 }, () => 0) },
      { mode: 'focus', extra: true },
      null,
    ])
      expect(controlCommandSchema.safeParse({ type: 'setPlacement', placement }).success).toBe(
        false,
      );
  });
});
