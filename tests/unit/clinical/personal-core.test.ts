import { describe, expect, it } from 'vitest';
import {
  addTrialToMap,
  assessmentBlock,
  assessmentTargets,
  buildPerformanceMap,
  createPerformanceMap,
  describeSectors,
  directionOf,
  explainPlacementChange,
  focusNeeds,
  focusShares,
  kendallS,
  kendallVariance,
  median,
  performanceMap,
  personalTrial,
  placePersonalTarget,
  planArms,
  quantile,
  SECTOR_COUNT,
  sectorLabel,
  sectorOf,
  sectorOfDirection,
  sectorStats,
  sectorShortName,
  summarizePlacement,
  weightedMedian,
  type PersonalTrial,
} from '../../../shared/clinical/index';
import { eyePoint, isInComfortableView } from '../../../shared/game/view';
import { isInsideWorkspace } from '../../../shared/game/workspace';
import { seededRandom } from '../../../shared/game/random';
import type { Workspace } from '../../../shared/protocol';
import { RIGHT_ARM } from './personal-sim';

const trial = (over: Partial<PersonalTrial>): PersonalTrial => ({
  sessionId: 'a',
  task: 'touch',
  arm: 'right',
  sector: 18,
  outcome: 'hit',
  metrics: {},
  ...over,
});

describe('robust statistics (exact values)', () => {
  it('median, weighted median, type-7 quantile, Kendall S and its tie-corrected variance', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    // Equal weights: the ordinary median; cumulative weight exactly half: the mean of the two.
    expect(weightedMedian([1, 2, 3, 4], [1, 1, 1, 1])).toBe(2.5);
    expect(weightedMedian([1.0, 1.2, 2.0], [0.8, 1, 0.8])).toBe(1.2);
    expect(weightedMedian([1, 2], [3, 1])).toBe(1);
    expect(weightedMedian([1, 2], [0, 0])).toBeNull();
    expect(quantile([0.9, 0.9, 1.0, 1.1], 0.1)).toBeCloseTo(0.9, 12);
    expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 12);
    expect(kendallS([1, 3, 2, 5, 4])).toBe(6);
    expect(kendallVariance([1, 3, 2, 5, 4])).toBeCloseTo(300 / 18, 12);
    // One tie group of 2: (5*4*15 - 2*1*9)/18.
    expect(kendallVariance([1, 1, 2, 3, 4])).toBeCloseTo((300 - 18) / 18, 12);
  });
});

describe('sectors in the arm frame', () => {
  it('bins azimuth at -30..30 every 10° and elevation at 0° and 20°; edges belong to the bin above', () => {
    expect(SECTOR_COUNT).toBe(24);
    expect(sectorOfDirection({ azimuthDeg: -45, elevationDeg: -5 })).toBe(0);
    expect(sectorOfDirection({ azimuthDeg: -30, elevationDeg: 0 })).toBe(9);
    expect(sectorOfDirection({ azimuthDeg: -15, elevationDeg: 25 })).toBe(18);
    expect(sectorOfDirection({ azimuthDeg: 0, elevationDeg: 19.99 })).toBe(12);
    expect(sectorOfDirection({ azimuthDeg: 75, elevationDeg: 20 })).toBe(23);
    expect(sectorShortName(18)).toBe('up-across');
    expect(sectorShortName(11)).toBe('ahead');
    expect(sectorShortName(5)).toBe('low-out');
    expect(sectorLabel(18)).toBe('up-across (azimuth -20 to -10°, elevation 20° and beyond)');
  });

  it('measures direction from the shoulder with outward toward the trained arm (mirrored for the left)', () => {
    const left: Workspace = { ...RIGHT_ARM, arm: 'left', shoulder: [-0.18, 1, 0] };
    // 0.3 m ahead and 0.3 m across, level with the shoulder: -45° for either arm.
    const d = directionOf(RIGHT_ARM, [0.18 - 0.3, 1, -0.3])!;
    expect(d.azimuthDeg).toBeCloseTo(-45, 10);
    expect(d.elevationDeg).toBeCloseTo(0, 10);
    expect(directionOf(left, [-0.18 + 0.3, 1, -0.3])!.azimuthDeg).toBeCloseTo(-45, 10);
    expect(sectorOf(RIGHT_ARM, [0.18, 1.3, -0.3])).toBe(8 * 2 + 4); // 45° up, straight ahead
    expect(sectorOf(RIGHT_ARM, [0.18, 1, 0])).toBeNull(); // at the shoulder: no direction
    expect(sectorOf(RIGHT_ARM, [NaN, 1, 0])).toBeNull();
  });
});

describe('the standard reach test', () => {
  it('8 fixed directions per arm at 80 % of reach, inside the workspace and the comfortable view', () => {
    const targets = assessmentTargets(RIGHT_ARM);
    expect(targets.map((t) => [t.azimuthDeg, t.elevationDeg])).toEqual([
      [-25, 10],
      [-15, 10],
      [-5, 10],
      [5, 10],
      [-25, 30],
      [-15, 30],
      [-5, 30],
      [5, 30],
    ]);
    const eye = eyePoint(RIGHT_ARM);
    for (const t of targets) {
      expect(isInsideWorkspace(RIGHT_ARM, t.position, 1e-6)).toBe(true);
      expect(isInComfortableView(eye, t.position, undefined, 1e-6)).toBe(true);
      expect(t.radius).toBe(0.04);
      expect(t.timeLimit).toBe(5);
    }
    // A direction inside the view stays exactly where 80 % of the reach puts it.
    const ahead = targets[2]!;
    expect(ahead.movedIntoView).toBe(false);
    const d = directionOf(RIGHT_ARM, ahead.position)!;
    expect(d.azimuthDeg).toBeCloseTo(-5, 9);
    expect(d.elevationDeg).toBeCloseTo(10, 9);
    expect(ahead.sector).toBe(8 + 3);
    // Up-across at 30° lies above the comfortable view for this reach: moved into it.
    expect(targets[4]!.movedIntoView).toBe(true);
  });

  it('is shuffled by the seed alone, arm blocks in plan order, and skips an uncalibrated arm', () => {
    const left: Workspace = { ...RIGHT_ARM, arm: 'left', shoulder: [-0.18, 1, 0] };
    const a = assessmentBlock(
      { right: RIGHT_ARM, left },
      planArms({ arm: 'alternate', firstArm: 'left' }),
      7,
    );
    const b = assessmentBlock({ right: RIGHT_ARM, left }, ['left', 'right'], 7);
    expect(a).toEqual(b);
    expect(a.targets.map((t) => t.arm)).toEqual([
      ...Array(8).fill('left'),
      ...Array(8).fill('right'),
    ]);
    expect(new Set(a.targets.slice(0, 8).map((t) => t.direction)).size).toBe(8);
    // Fisher-Yates with mulberry32(7): the exact order.
    const random = seededRandom(7);
    const order = [0, 1, 2, 3, 4, 5, 6, 7];
    for (let i = 7; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    expect(a.targets.slice(0, 8).map((t) => t.direction)).toEqual(order);
    expect(
      assessmentBlock({ right: RIGHT_ARM }, ['right'], 8).targets.map((t) => t.direction),
    ).not.toEqual(
      assessmentBlock({ right: RIGHT_ARM }, ['right'], 9).targets.map((t) => t.direction),
    );
    const skipped = assessmentBlock({ right: RIGHT_ARM }, ['left', 'right'], 1);
    expect(skipped.targets).toHaveLength(8);
    expect(skipped.skipped).toEqual([
      { arm: 'left', reason: 'no calibration for the left arm: calibrate it first' },
    ]);
  });
});

describe('the performance map', () => {
  it('weighs older sessions by 0.5^(age / 5): exact success rate and weighted medians', () => {
    const map = buildPerformanceMap(
      [
        trial({ sessionId: 'A', metrics: { movementTime: 1.0 } }),
        trial({ sessionId: 'A', outcome: 'miss_not_reached', metrics: { movementTime: 2.0 } }),
        trial({ sessionId: 'B', metrics: { movementTime: 1.2, sparc: -1.8 } }),
      ],
      'right',
    );
    const w = 2 ** -0.2;
    const s = sectorStats(map, 18);
    expect(s.trials).toBe(3);
    expect(s.effectiveTrials).toBeCloseTo(2 * w + 1, 12);
    expect(s.successRate).toBeCloseTo((w + 1) / (2 * w + 1), 12);
    expect(s.movementTime).toBe(1.2);
    expect(s.sparc).toBe(-1.8);
    expect(s.pathRatio).toBeNull();
    expect(sectorStats(map, 0)).toMatchObject({ trials: 0, successRate: null, movementTime: null });
  });

  it('updated per trial gives the same map as rebuilt from stored trials', () => {
    const trials: PersonalTrial[] = [];
    const random = seededRandom(3);
    for (let i = 0; i < 300; i++)
      trials.push(
        trial({
          sessionId: `s${Math.floor(i / 20)}`,
          sector: Math.floor(random() * 24),
          outcome: random() < 0.7 ? 'hit' : 'miss_too_slow',
          metrics: {
            movementTime: 1 + random(),
            sparc: -1.5 - random(),
            pathRatio: 1 + random() / 5,
          },
        }),
      );
    const live = createPerformanceMap('right');
    for (const t of trials) addTrialToMap(live, t);
    expect(performanceMap(live)).toEqual(performanceMap(buildPerformanceMap(trials, 'right')));
  });

  it('drops trials older than 10 half-lives, skips the other arm, and counts trials without a sector', () => {
    const trials: PersonalTrial[] = [trial({ sessionId: 's0' })];
    for (let s = 1; s <= 51; s++) trials.push(trial({ sessionId: `s${s}`, sector: 3 }));
    trials.push(
      trial({ sessionId: 's51', arm: 'left' }),
      trial({ sessionId: 's51', sector: null }),
    );
    const map = buildPerformanceMap(trials, 'right');
    expect(sectorStats(map, 18).trials).toBe(0); // 51 sessions old > 50
    expect(sectorStats(map, 3).trials).toBe(51);
    expect(map.unmapped).toBe(1);
  });

  it('bad metrics (NaN, Infinity, missing) never reach a median', () => {
    const map = buildPerformanceMap(
      [
        trial({ metrics: { movementTime: NaN, sparc: Infinity } }),
        trial({ metrics: { movementTime: null } }),
      ],
      'right',
    );
    const s = sectorStats(map, 18);
    expect(s).toMatchObject({
      trials: 2,
      successRate: 1,
      movementTime: null,
      sparc: null,
      pathRatio: null,
    });
  });

  it('reads a stored trial: sector from its target and the arm workspace, none without one', () => {
    const stored = {
      sessionId: 'x',
      task: 'touch' as const,
      arm: 'right' as const,
      target: [0.18 - 0.1, 1.25, -0.35] as [number, number, number],
      outcome: 'hit' as const,
      metrics: { movementTime: 1.1 },
    };
    expect(personalTrial(stored, RIGHT_ARM).sector).toBe(
      sectorOfDirection(directionOf(RIGHT_ARM, stored.target)!),
    );
    expect(personalTrial(stored, null).sector).toBeNull();
  });
});

describe('focus placement', () => {
  const mapOf = () =>
    buildPerformanceMap(
      [
        ...[true, false, false, false].map((hit) =>
          trial({
            sector: 18,
            outcome: hit ? 'hit' : 'miss_not_reached',
            metrics: { sparc: -2.5 },
          }),
        ),
        ...Array.from({ length: 6 }, () => trial({ sector: 10, metrics: { sparc: -1.5 } })),
      ],
      'right',
    );

  it('needs: success and smoothness deficits against the overall values, pulled by 3 pseudo-trials', () => {
    const needs = focusNeeds(mapOf());
    // p = 0.7; p_18 = (1 + 2.1)/7; q = -1.5; q_18 = (4(-2.5) + 3(-1.5))/7.
    const p18 = 3.1 / 7;
    const q18 = (4 * -2.5 + 3 * -1.5) / 7;
    expect(needs[18]!.successRate).toBeCloseTo(p18, 12);
    expect(needs[18]!.sparc).toBeCloseTo(q18, 12);
    expect(needs[18]!.need).toBeCloseTo(10 * (0.7 - p18) + 2 * (-1.5 - q18), 12);
    expect(needs[10]!.need).toBe(0);
    expect(needs[0]!.need).toBe(0);
    const shares = focusShares(
      needs.map((n) => n.need),
      [10, 18],
    )!;
    expect(shares.get(18)).toBeCloseTo(0.85, 12);
    expect(shares.get(10)).toBeCloseTo(0.15, 12);
    expect(
      focusShares(
        needs.map(() => 0),
        [10, 18],
      ),
    ).toBeNull();
  });

  it('explains each change in words, and only when something changed', () => {
    const map = mapOf();
    const focus = summarizePlacement('focus', map);
    expect(focus).toEqual({ mode: 'focus', sectors: [18] });
    expect(explainPlacementChange({ mode: 'balanced', sectors: [] }, focus, map)).toBe(
      'More targets up and across: 25 % success there against 100 % elsewhere.',
    );
    expect(explainPlacementChange(focus, focus, map)).toBeNull();
    expect(explainPlacementChange(focus, summarizePlacement('balanced', map), map)).toBe(
      'Targets spread evenly again (balanced placement), within the level’s spread.',
    );
    expect(explainPlacementChange(null, summarizePlacement('sector', map, [18, 17]), map)).toBe(
      'Targets only where the therapist chose: up and across (2 sectors), as far as the level’s spread and the view allow.',
    );
    expect(describeSectors([18, 10])).toBe('across');
    expect(describeSectors([18, 20])).toBe('up');
    expect(describeSectors([4, 18])).toBe('low-ahead, up-across');
  });

  it('balanced mode is today’s placement; sector mode keeps to the chosen sectors; same seed, same target', () => {
    const params = { distanceFraction: 0.675, spreadDeg: 70, targetRadius: 0.04 };
    const balanced = placePersonalTarget(RIGHT_ARM, params, { mode: 'balanced' }, seededRandom(5));
    expect(balanced.sector).toBe(sectorOf(RIGHT_ARM, balanced.position));
    const random = seededRandom(11);
    for (let i = 0; i < 50; i++) {
      const placed = placePersonalTarget(
        RIGHT_ARM,
        params,
        { mode: 'sector', sectors: [18] },
        random,
      );
      expect(placed.sector).toBe(18);
      expect(isInComfortableView(eyePoint(RIGHT_ARM), placed.position, undefined, 1e-6)).toBe(true);
    }
    const unreachable = placePersonalTarget(
      RIGHT_ARM,
      params,
      { mode: 'sector', sectors: [7] },
      seededRandom(1),
    );
    expect(unreachable.outsideChosen).toBe(true);
    const again = (seed: number) =>
      placePersonalTarget(
        RIGHT_ARM,
        params,
        { mode: 'focus', needs: focusNeeds(mapOf()).map((n) => n.need) },
        seededRandom(seed),
      );
    expect(again(4)).toEqual(again(4));
  });
});
