import { describe, expect, it } from 'vitest';
import { calibrationText } from '../../../client/therapist/patients/calibration-text';
import type { Workspace } from '../../../shared/protocol';

const right: Workspace = {
  arm: 'right',
  posture: 'seated',
  shoulder: [0.18, 1.4, 0],
  reach: { forward: 0.55, outward: 0.5, up: 0.4, across: 0.3 },
  measuredAt: '2026-01-01T09:30:00.000Z',
};
const left: Workspace = {
  ...right,
  arm: 'left',
  posture: 'standing',
  measuredAt: '2026-02-03T10:00:00.000Z',
};

describe("the patient's stored calibration in words", () => {
  it('tells plainly that a corrupt one is no calibration, never an empty one', () => {
    expect(calibrationText({ calibration: {}, calibrationCorrupt: true })).toBe(
      'No usable calibration stored: the headset will ask the patient to calibrate again',
    );
  });

  it('says which arm is measured, when and in which posture', () => {
    expect(calibrationText({ calibration: {}, calibrationCorrupt: false })).toBe(
      'Not measured yet: the headset measures each arm before it first plays',
    );
    expect(calibrationText({ calibration: { right }, calibrationCorrupt: false })).toBe(
      'Right arm measured on 2026-01-01 (seated); left arm not measured yet (the headset measures it before it first plays)',
    );
    expect(calibrationText({ calibration: { left, right }, calibrationCorrupt: false })).toBe(
      'Right arm measured on 2026-01-01 (seated); left arm measured on 2026-02-03 (standing)',
    );
  });
});
