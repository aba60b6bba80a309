import { describe, expect, it } from 'vitest';
import {
  createPlayAnchor,
  setAnchor,
  toPlayAt,
  toPlayInto,
  toPlayQuaternionInto,
} from '../../../client/patient/game/anchor';
import type { Vec3 } from '../../../shared/protocol';

describe('play space transform of poses', () => {
  it('turns a head facing the anchor yaw into one facing -z, and moves positions alike', () => {
    const yaw = Math.PI / 2;
    const anchor = createPlayAnchor();
    setAnchor(anchor, 1, 2, yaw);
    const q = new Float32Array(4);
    toPlayQuaternionInto(anchor, 0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2), q);
    expect([...q].map((v) => Math.round(Math.abs(v) * 1e6) / 1e6)).toEqual([0, 0, 0, 1]);
    const flat = new Float32Array(6);
    toPlayAt(anchor, 1, 1.5, 1, flat, 3);
    const vec: Vec3 = [0, 0, 0];
    toPlayInto(anchor, 1, 1.5, 1, vec);
    for (let i = 0; i < 3; i++) expect(flat[3 + i]).toBeCloseTo(vec[i]!, 6);
    // Facing -x, a point 1 m toward -z is on the patient's right.
    expect(vec[0]).toBeCloseTo(1, 6);
    expect(vec[1]).toBeCloseTo(1.5, 6);
    expect(vec[2]).toBeCloseTo(0, 6);
  });
});
