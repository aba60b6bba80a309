import { describe, expect, it } from 'vitest';
import type { Arm, Vec3, Workspace } from '../../../shared/protocol';
import { nextSegment, segment, startRay, walkFrom } from '../../../shared/game/ray-segments';

// Reaches and offsets in powers of two, so every coefficient below is exact.
const workspace = (arm: Arm): Workspace => ({
  arm,
  posture: 'seated',
  shoulder: [0, 0, 0],
  reach: { forward: 0.5, outward: 0.25, up: 0.5, across: 0.25 },
  measuredAt: '2026-01-01T00:00:00.000Z',
});

const segmentsOf = (ws: Workspace, eye: Vec3, d: Vec3, tMin: number) => {
  walkFrom(ws, eye);
  startRay(d[0], d[1], d[2], tMin);
  const found = [];
  while (nextSegment()) found.push({ ...segment });
  return found;
};

describe('a ray walked octant by octant of the arm frame', () => {
  it('cuts a ray at the shoulder plane, each part with its own ellipsoid', () => {
    // Right arm; eyes 0.125 across, 0.25 up and 0.25 behind the shoulder, looking straight ahead.
    const segments = segmentsOf(workspace('right'), [-0.125, 0.25, 0.25], [0, 0, -1], 0.125);
    expect(segments).toEqual([
      // Behind the shoulder the depth semi-axis is the across reach (0.25).
      { t0: 0.125, t1: 0.25, qa: 16, qb: -8, qc: 1.5 },
      // In front, the forward reach (0.5).
      { t0: 0.25, t1: Infinity, qa: 4, qb: -2, qc: 0.75 },
    ]);
    // Both give the point on the shoulder plane the same squared reach fraction: 0.5.
    const at = (s: (typeof segments)[number], t: number) => s.qa * t * t + s.qb * t + s.qc;
    expect(at(segments[0]!, 0.25)).toBe(0.5);
    expect(at(segments[1]!, 0.25)).toBe(0.5);
  });

  it('mirrors the left arm and leaves out crossings before tMin', () => {
    // Left arm; eyes 0.125 to its right (across), 0.25 up and 0.25 ahead; the ray goes right, so
    // its crossing of the outward plane lies behind the eyes (t = -0.125).
    const segments = segmentsOf(workspace('left'), [0.125, 0.25, -0.25], [1, 0, 0], 0);
    expect(segments).toEqual([{ t0: 0, t1: Infinity, qa: 16, qb: 4, qc: 0.75 }]);
  });

  it('starts afresh on every ray', () => {
    const ws = workspace('right');
    segmentsOf(ws, [-0.125, 0.25, 0.25], [0, 0, -1], 0.125);
    expect(segmentsOf(ws, [-0.125, 0.25, 0.25], [0, 0, -1], 0.5)).toEqual([
      { t0: 0.5, t1: Infinity, qa: 4, qb: -2, qc: 0.75 },
    ]);
  });
});
