import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Vec3, Workspace } from '../../../shared/protocol';
import { difficultyParams } from '../../../shared/clinical';
import {
  drawReachPoint,
  HAND_CLEARANCE_M,
  MIN_CARRY_M,
  placeGoal,
  placeGraspObject,
  placeTarget,
} from '../../../shared/game/placement';
import { seededRandom } from '../../../shared/game/random';
import {
  COMFORTABLE_VIEW,
  createViewPointer,
  eyePoint,
  isInComfortableView,
  keepInComfortableView,
  PLACEMENT_MARGIN_DEG,
  updateViewPointer,
} from '../../../shared/game/view';
import {
  defaultWorkspace,
  estimateShoulder,
  isInsideWorkspace,
} from '../../../shared/game/workspace';

const distance = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Reaches of adults seated in a chair, from a small post-stroke reach to a long healthy one. */
const realisticWorkspace = fc
  .record({
    arm: fc.constantFrom('left' as const, 'right' as const),
    head: fc.tuple(
      fc.double({ min: -0.5, max: 0.5, noNaN: true }),
      fc.double({ min: 1.0, max: 1.8, noNaN: true }),
      fc.double({ min: -0.5, max: 0.5, noNaN: true }),
    ),
    forward: fc.double({ min: 0.35, max: 1.0, noNaN: true }),
    outward: fc.double({ min: 0.2, max: 1.0, noNaN: true }),
    up: fc.double({ min: 0.15, max: 1.0, noNaN: true }),
    across: fc.double({ min: 0.1, max: 1.0, noNaN: true }),
  })
  .map(({ arm, head, ...reach }): Workspace => ({
    arm,
    posture: 'seated',
    shoulder: estimateShoulder(head as Vec3, arm),
    reach,
    measuredAt: '2026-01-01T00:00:00.000Z',
  }));

const expectComfortable = (ws: Workspace, p: Vec3) => {
  expect(isInsideWorkspace(ws, p, 1e-9)).toBe(true);
  expect(isInComfortableView(eyePoint(ws), p, COMFORTABLE_VIEW, 1e-9)).toBe(true);
  expect(distance(eyePoint(ws), p)).toBeGreaterThanOrEqual(COMFORTABLE_VIEW.minDistanceM - 1e-9);
};

describe('targets in the comfortable view', () => {
  it('keeps every target, grasp object and goal inside the workspace, the view cone and 30 cm from the eyes', () => {
    fc.assert(
      fc.property(
        realisticWorkspace,
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.integer(),
        (ws, level, seed) => {
          const params = difficultyParams(level);
          const random = seededRandom(seed);
          for (let i = 0; i < 5; i++) expectComfortable(ws, placeTarget(ws, params, random));
          const object = placeGraspObject(ws);
          expectComfortable(ws, object);
          expectComfortable(ws, placeGoal(ws, params, random, object));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('moves the easy targets of the report (low and to the right, out of view) into view', () => {
    const head: Vec3 = [0, 1.2, 0];
    const ws = defaultWorkspace('right', head, '2026-01-01T00:00:00.000Z');
    const easy = difficultyParams(0); // 40 % of reach, 20 deg spread
    const mm = (p: Vec3) => p.map((v, i) => Math.round((v - head[i]!) * 1000) / 1000);
    const drawn = drawReachPoint(ws, easy, () => 0.5);
    // What the patient got before: 58 deg to the right and 25 deg down, outside the view.
    expect(mm(drawn)).toEqual([0.278, -0.174, -0.17]);
    expect(isInComfortableView(head, drawn)).toBe(false);
    const placed = placeTarget(ws, easy, () => 0.5);
    expectComfortable(ws, placed);
    // 30 deg right and 30 deg down: 5 deg inside the comfortable view, 30 cm from the eyes.
    expect(mm(placed)).toEqual([0.13, -0.15, -0.225]);
  });

  it('varies moved targets so a hand resting on the last one rarely touches the next', () => {
    const ws = defaultWorkspace('right', [0, 1.2, 0], '2026-01-01T00:00:00.000Z');
    const level = difficultyParams(50); // 4 cm targets, 70 deg spread
    const random = seededRandom(11);
    const placed = Array.from({ length: 40 }, () => placeTarget(ws, level, random));
    let apart = 0;
    for (let i = 1; i < placed.length; i++)
      if (distance(placed[i]!, placed[i - 1]!) > level.targetRadius) apart++;
    expect(apart).toBe(33); // of 39: nearest-point projection alone puts them all on one spot
  });

  it('never makes a target appear around the resting hand', () => {
    const ws = defaultWorkspace('right', [0, 1.2, 0], '2026-01-01T00:00:00.000Z');
    const level = difficultyParams(50);
    const random = seededRandom(5);
    let hand = placeTarget(ws, level, random);
    for (let i = 0; i < 40; i++) {
      const next = placeTarget(ws, level, random, hand);
      expect(distance(next, hand)).toBeGreaterThanOrEqual(level.targetRadius + HAND_CLEARANCE_M);
      expectComfortable(ws, next);
      hand = next; // the patient touched it and rests there
    }
  });

  it('leaves a target alone when it is already comfortable', () => {
    const ws = defaultWorkspace('right', [0, 1.2, 0], '2026-01-01T00:00:00.000Z');
    const inView: Vec3 = [0.1, 1.0, -0.4];
    expect(keepInComfortableView(ws, inView)).toBe(inView);
  });

  it('keeps the workspace first when no comfortable point exists (very short reach)', () => {
    const ws: Workspace = {
      arm: 'right',
      posture: 'seated',
      shoulder: estimateShoulder([0, 1.2, 0], 'right'),
      reach: { forward: 0.1, outward: 0.1, up: 0.05, across: 0.05 },
      measuredAt: '2026-01-01T00:00:00.000Z',
    };
    const drawn = drawReachPoint(ws, { distanceFraction: 0.9, spreadDeg: 40 }, () => 0.5);
    expect(placeTarget(ws, { distanceFraction: 0.9, spreadDeg: 40 }, () => 0.5)).toEqual(drawn);
    expect(isInsideWorkspace(ws, drawn)).toBe(true);
  });

  it('still leaves a grasp goal a carry away from the object', () => {
    const ws = defaultWorkspace('right', [0, 1.2, 0], '2026-01-01T00:00:00.000Z');
    const object = placeGraspObject(ws);
    const random = seededRandom(3);
    let carried = 0;
    for (let i = 0; i < 200; i++) {
      const goal = placeGoal(ws, difficultyParams(50), random, object);
      if (distance(goal, object) >= MIN_CARRY_M) carried++;
    }
    expect(carried).toBe(200);
  });

  it('finds a point at least as near as any on the rays it searches (none skipped wrongly)', () => {
    // Every 2.5 deg across the view shrunk by the placement margin (searched first), each ray
    // sampled every 5 mm: the search is exact along each ray, so it must do at least as well.
    const DEG = Math.PI / 180;
    const inner = COMFORTABLE_VIEW.halfWidthDeg - PLACEMENT_MARGIN_DEG;
    const up = COMFORTABLE_VIEW.upDeg - PLACEMENT_MARGIN_DEG;
    const down = COMFORTABLE_VIEW.downDeg - PLACEMENT_MARGIN_DEG;
    let searched = 0;
    fc.assert(
      fc.property(
        realisticWorkspace,
        fc.tuple(
          fc.double({ min: -0.9, max: 0.9, noNaN: true }),
          fc.double({ min: -0.8, max: 0.6, noNaN: true }),
          fc.double({ min: -1.0, max: 0.2, noNaN: true }),
        ),
        (ws, offset) => {
          const eye = eyePoint(ws);
          const candidate = offset.map((v, i) => eye[i]! + v) as Vec3;
          const placed = keepInComfortableView(ws, candidate);
          if (placed === candidate) return;
          let sampled = Infinity;
          for (let az = -inner; az <= inner + 1e-9; az += 2.5)
            for (let el = -down; el <= up + 1e-9; el += 2.5)
              for (let t = COMFORTABLE_VIEW.minDistanceM; t < 1.6; t += 0.005) {
                const p: Vec3 = [
                  eye[0] + t * Math.cos(el * DEG) * Math.sin(az * DEG),
                  eye[1] + t * Math.sin(el * DEG),
                  eye[2] - t * Math.cos(el * DEG) * Math.cos(az * DEG),
                ];
                if (isInsideWorkspace(ws, p)) sampled = Math.min(sampled, distance(p, candidate));
              }
          // no sampled point inside the inner view: the search widened to the whole view
          if (sampled === Infinity) return;
          searched++;
          expect(distance(placed, candidate)).toBeLessThanOrEqual(sampled + 1e-9);
        },
      ),
      { numRuns: 40, seed: 3 },
    );
    expect(searched).toBeGreaterThan(20);
  });
});

describe('pointer toward a target out of view', () => {
  const identity = [0, 0, 0, 1];
  const head: Vec3 = [0, 1.2, 0];

  it('is hidden while the target is in the view of the head as it is turned now', () => {
    const pointer = createViewPointer();
    expect(updateViewPointer(pointer, head, identity, [0.1, 1.1, -0.5])).toBe(pointer);
    expect(pointer.visible).toBe(false);
  });

  it('is hidden for a target at the corner of the comfortable view (no flicker at the edge)', () => {
    const az = (35 * Math.PI) / 180;
    const el = (-35 * Math.PI) / 180;
    const corner: Vec3 = [
      0.4 * Math.cos(el) * Math.sin(az),
      1.2 + 0.4 * Math.sin(el),
      -0.4 * Math.cos(el) * Math.cos(az),
    ];
    expect(updateViewPointer(createViewPointer(), head, identity, corner).visible).toBe(false);
    // Turned 4 deg away from it, the target is still seen; turned 50 deg away, it is not.
    const turned = (deg: number) => [
      0,
      Math.sin((deg * Math.PI) / 360),
      0,
      Math.cos((deg * Math.PI) / 360),
    ];
    expect(updateViewPointer(createViewPointer(), head, turned(4), corner).visible).toBe(false);
    expect(updateViewPointer(createViewPointer(), head, turned(50), corner).visible).toBe(true);
  });

  it('sits near the right edge, pointing right, for a target on the right', () => {
    const pointer = updateViewPointer(createViewPointer(), head, identity, [1, 1.2, 0]);
    expect(pointer.visible).toBe(true);
    expect(pointer.position.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0.26, 1.2, -0.6]);
    const h = Math.SQRT1_2;
    expect(pointer.quaternion.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([
      0,
      0,
      -Math.round(h * 1e9) / 1e9,
      Math.round(h * 1e9) / 1e9,
    ]);
  });

  it('points down, at the lower edge, for a target at the feet', () => {
    const pointer = updateViewPointer(createViewPointer(), head, identity, [0, 0.2, -0.3]);
    expect(pointer.visible).toBe(true);
    expect(pointer.position.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 1.02, -0.6]);
    // +y turned by 180 deg about the view axis
    expect(Math.abs(pointer.quaternion[2])).toBeCloseTo(1, 9);
  });

  it('follows the head: turned 90 deg to the left, a target straight ahead is to its right', () => {
    const yaw = Math.PI / 2; // facing -x
    const q = [0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2)];
    const pointer = updateViewPointer(createViewPointer(), head, q, [0, 1.2, -1]);
    expect(pointer.visible).toBe(true);
    // 0.6 m ahead of the head (-x) and 0.26 m to its right (-z)
    expect(pointer.position.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([-0.6, 1.2, -0.26]);
  });
});
