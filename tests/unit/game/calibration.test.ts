import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../shared/protocol';
import {
  calibrationResult,
  currentDirection,
  feedCalibration,
  isCalibrationDone,
  startCalibration,
} from '../../../shared/game/calibration';
import { estimateShoulder } from '../../../shared/game/workspace';

const config = { holdSeconds: 1, stillRadius: 0.03, minTravel: 0.1 };

/** Feeds a hand held at `hand` from t0 for `seconds` at 50 Hz; returns the last time fed. */
function hold(run: ReturnType<typeof startCalibration>, t0: number, hand: Vec3, seconds: number) {
  let t = t0;
  for (; t <= t0 + seconds + 1e-9; t += 0.02) feedCalibration(run, t, hand, false);
  return t;
}

describe('calibration', () => {
  it('estimates the shoulder 0.2 m below and 0.18 m beside the head', () => {
    expect(estimateShoulder([0, 1.6, 0], 'right')).toEqual([0.18, 1.4000000000000001, 0]);
    expect(estimateShoulder([0, 1.6, 0], 'left')).toEqual([-0.18, 1.4000000000000001, 0]);
  });

  it('measures the four reaches of the right arm by holding still', () => {
    const run = startCalibration('right', 'seated', [0, 1.6, 0], config);
    const rest: Vec3 = [0.18, 1.1, -0.2];
    let t = hold(run, 0, rest, 2);
    expect(currentDirection(run)).toBe('forward'); // a resting hand never confirms
    t = hold(run, t, [0.18, 1.4, -0.55], 1.1);
    expect(currentDirection(run)).toBe('outward');
    t = hold(run, t, [0.68, 1.4, -0.1], 1.1);
    t = hold(run, t, [0.18, 1.8, -0.1], 1.1);
    hold(run, t, [-0.12, 1.4, -0.2], 1.1);
    expect(isCalibrationDone(run)).toBe(true);
    const ws = calibrationResult(run, '2026-01-01T00:00:00.000Z');
    expect(ws.reach.forward).toBeCloseTo(0.55, 9);
    expect(ws.reach.outward).toBeCloseTo(0.5, 9);
    expect(ws.reach.up).toBeCloseTo(0.4, 9);
    expect(ws.reach.across).toBeCloseTo(0.3, 9);
    expect(ws.shoulder).toEqual([0.18, 1.4000000000000001, 0]);
  });

  it('confirms at once on the trigger and mirrors for the left arm', () => {
    const run = startCalibration('left', 'standing', [0, 1.6, 0], config);
    expect(feedCalibration(run, 0, [-0.18, 1.4, -0.4], true)).toBe('forward');
    expect(feedCalibration(run, 0.1, [-0.6, 1.4, 0], true)).toBe('outward');
    expect(feedCalibration(run, 0.2, [-0.18, 1.7, 0], true)).toBe('up');
    expect(feedCalibration(run, 0.3, [0.02, 1.4, -0.2], true)).toBe('across');
    const ws = calibrationResult(run, '2026-01-01T00:00:00.000Z');
    expect(ws.reach).toEqual({
      forward: 0.4,
      outward: expect.closeTo(0.42, 9),
      up: expect.closeTo(0.3, 9),
      across: expect.closeTo(0.2, 9),
    });
    expect(ws.posture).toBe('standing');
  });

  it('clamps a measurement into the wire limits', () => {
    const run = startCalibration('right', 'seated', [0, 1.6, 0], config);
    feedCalibration(run, 0, [0.18, 1.4, 0.3], true); // behind the shoulder
    expect(run.reach.forward).toBe(0.1);
  });

  it('restarts the stillness count when the hand moves', () => {
    const run = startCalibration('right', 'seated', [0, 1.6, 0], config);
    feedCalibration(run, 0, [0.18, 1.4, -0.1], false);
    feedCalibration(run, 0.5, [0.18, 1.4, -0.4], false);
    feedCalibration(run, 1.2, [0.18, 1.4, -0.5], false);
    expect(feedCalibration(run, 2.1, [0.18, 1.4, -0.5], false)).toBeNull();
    expect(feedCalibration(run, 2.2, [0.18, 1.4, -0.5], false)).toBe('forward');
  });
});
