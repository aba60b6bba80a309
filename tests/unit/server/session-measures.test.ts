import { describe, expect, it } from 'vitest';
import type { Calibration, Workspace } from '../../../shared/protocol';
import {
  activeMinutes,
  medianMovementTime,
  reachWorkspace,
} from '../../../server/sessions/session-measures';

const workspace = (
  arm: 'left' | 'right',
  forward: number,
  outward: number,
  up: number,
  across: number,
): Workspace => ({
  arm,
  posture: 'seated',
  shoulder: [0, 1.2, 0],
  reach: { forward, outward, up, across },
  measuredAt: '2026-01-05T10:00:00.000Z',
});

describe('activeMinutes', () => {
  it('sums the trials, not the pauses between them', () => {
    expect(
      activeMinutes([
        { startedAt: '2026-01-05T10:00:00.000Z', endedAt: '2026-01-05T10:00:30.000Z' },
        { startedAt: '2026-01-05T10:05:00.000Z', endedAt: '2026-01-05T10:06:00.000Z' },
        // a clock that went backwards adds nothing
        { startedAt: '2026-01-05T10:07:00.000Z', endedAt: '2026-01-05T10:06:00.000Z' },
      ]),
    ).toBeCloseTo(1.5, 10);
    expect(activeMinutes([])).toBe(0);
  });
});

describe('medianMovementTime', () => {
  const trial = (movementTime: number | null) => ({ metrics: { movementTime } });
  it('takes the middle value, or the mean of the two middle ones, skipping unknowns', () => {
    expect(medianMovementTime([trial(3), trial(1), trial(null), trial(2)])).toBe(2);
    expect(medianMovementTime([trial(4), trial(1), trial(2), trial(10)])).toBe(3);
    expect(medianMovementTime([trial(null)])).toBeNull();
    expect(medianMovementTime([])).toBeNull();
  });
});

describe('reachWorkspace', () => {
  const calibration: Calibration = {
    left: workspace('left', 0.4, 0.3, 0.2, 0.1),
    right: workspace('right', 0.6, 0.5, 0.4, 0.3),
  };
  it('is the mean reach of the trained arm', () => {
    expect(reachWorkspace(calibration, ['right'])).toBeCloseTo(0.45, 10);
    expect(reachWorkspace(calibration, ['left'])).toBeCloseTo(0.25, 10);
  });
  it('averages both arms when both were trained or none is known', () => {
    expect(reachWorkspace(calibration, ['left', 'right'])).toBeCloseTo(0.35, 10);
    expect(reachWorkspace(calibration, [])).toBeCloseTo(0.35, 10);
  });
  it('is null without a calibration of the trained arm', () => {
    expect(reachWorkspace(null, ['right'])).toBeNull();
    expect(reachWorkspace({}, [])).toBeNull();
    expect(reachWorkspace({ left: calibration.left }, ['right'])).toBeNull();
  });
});
