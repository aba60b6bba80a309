import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Workspace } from '../../../shared/protocol';
import {
  MIN_CARRY_M,
  placeGoal,
  placeGraspObject,
  drawReachPoint,
  placeTarget,
} from '../../../shared/game/placement';
import { seededRandom } from '../../../shared/game/random';
import { isInsideWorkspace, reachAlong } from '../../../shared/game/workspace';

const workspace = (arm: 'left' | 'right', reach: Workspace['reach']): Workspace => ({
  arm,
  posture: 'seated',
  shoulder: [0.18, 1.0, 0.05],
  reach,
  measuredAt: '2026-01-01T00:00:00.000Z',
});

const reachArb = fc.record({
  forward: fc.double({ min: 0.1, max: 1.5, noNaN: true }),
  outward: fc.double({ min: 0.1, max: 1.5, noNaN: true }),
  up: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
  across: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
});

describe('placeTarget', () => {
  it('puts every target centre inside the calibrated workspace', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('left' as const, 'right' as const),
        reachArb,
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        fc.double({ min: 0, max: 180, noNaN: true }),
        fc.integer(),
        (arm, reach, distanceFraction, spreadDeg, seed) => {
          const ws = workspace(arm, reach);
          const random = seededRandom(seed);
          for (let i = 0; i < 5; i++) {
            const p = placeTarget(ws, { distanceFraction, spreadDeg }, random);
            expect(isInsideWorkspace(ws, p, 1e-9)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('draws a reach at distanceFraction of the reach in the drawn direction', () => {
    const ws = workspace('right', { forward: 0.6, outward: 0.5, up: 0.4, across: 0.3 });
    // random 0.5 twice: azimuth = 30 deg outward, elevation = -10 + 0.5 * 35 = 7.5 deg
    const p = drawReachPoint(ws, { distanceFraction: 0.5, spreadDeg: 90 }, () => 0.5);
    const offset = [p[0] - 0.18, p[1] - 1.0, p[2] - 0.05];
    const distance = Math.hypot(offset[0]!, offset[1]!, offset[2]!);
    const el = (7.5 * Math.PI) / 180;
    const az = (30 * Math.PI) / 180;
    const axes = {
      outward: Math.cos(el) * Math.sin(az),
      up: Math.sin(el),
      forward: Math.cos(el) * Math.cos(az),
    };
    expect(distance).toBeCloseTo(0.5 * reachAlong(ws, axes), 12);
    expect(offset[0]).toBeGreaterThan(0);
    expect(offset[2]).toBeLessThan(0);
  });

  it('mirrors for the left arm: outward is -x', () => {
    const reach = { forward: 0.6, outward: 0.5, up: 0.4, across: 0.3 };
    const right = placeTarget(
      workspace('right', reach),
      { distanceFraction: 0.8, spreadDeg: 0 },
      () => 0.5,
    );
    const left = placeTarget(
      workspace('left', reach),
      { distanceFraction: 0.8, spreadDeg: 0 },
      () => 0.5,
    );
    expect(left[0] - 0.18).toBeCloseTo(-(right[0] - 0.18), 12);
    expect(left[1]).toBeCloseTo(right[1], 12);
    expect(left[2]).toBeCloseTo(right[2], 12);
  });

  it('crosses the midline no further than the calibrated across reach', () => {
    const ws = workspace('right', { forward: 0.6, outward: 0.5, up: 0.4, across: 0.1 });
    const random = seededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const p = placeTarget(ws, { distanceFraction: 1, spreadDeg: 180 }, random);
      expect(ws.shoulder[0] - p[0]).toBeLessThanOrEqual(0.1 + 1e-9);
    }
  });

  it('reaches exactly the calibrated distances along the axes', () => {
    const ws = workspace('right', { forward: 0.6, outward: 0.5, up: 0.4, across: 0.3 });
    expect(reachAlong(ws, { outward: 0, up: 0, forward: 1 })).toBeCloseTo(0.6, 12);
    expect(reachAlong(ws, { outward: 1, up: 0, forward: 0 })).toBeCloseTo(0.5, 12);
    expect(reachAlong(ws, { outward: -1, up: 0, forward: 0 })).toBeCloseTo(0.3, 12);
    expect(reachAlong(ws, { outward: 0, up: 1, forward: 0 })).toBeCloseTo(0.4, 12);
  });

  it('keeps the grasp object inside the workspace', () => {
    fc.assert(
      fc.property(fc.constantFrom('left' as const, 'right' as const), reachArb, (arm, reach) => {
        const ws = workspace(arm, reach);
        expect(isInsideWorkspace(ws, placeGraspObject(ws))).toBe(true);
      }),
    );
  });
});

describe('placeGoal', () => {
  it('keeps the goal a carry away from the object and inside the workspace', () => {
    fc.assert(
      fc.property(reachArb, fc.integer(), (reach, seed) => {
        const ws = workspace('right', reach);
        const object = placeGraspObject(ws);
        const goal = placeGoal(
          ws,
          { distanceFraction: 0.75, spreadDeg: 60 },
          seededRandom(seed),
          object,
        );
        expect(isInsideWorkspace(ws, goal)).toBe(true);
      }),
    );
    const ws = workspace('right', { forward: 0.6, outward: 0.5, up: 0.4, across: 0.3 });
    const object = placeGraspObject(ws);
    const random = seededRandom(3);
    for (let i = 0; i < 200; i++) {
      const g = placeGoal(ws, { distanceFraction: 0.6, spreadDeg: 120 }, random, object);
      expect(
        Math.hypot(g[0] - object[0], g[1] - object[1], g[2] - object[2]),
      ).toBeGreaterThanOrEqual(MIN_CARRY_M);
    }
  });
});
