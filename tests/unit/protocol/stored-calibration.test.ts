import { describe, expect, it } from 'vitest';
import { readStoredCalibration } from '../../../shared/protocol';

const rightArm = {
  arm: 'right',
  posture: 'seated',
  shoulder: [0.2, 1.3, 0],
  reach: { forward: 0.6, outward: 0.55, up: 0.5, across: 0.4 },
  measuredAt: '2026-11-29T10:00:00.000Z',
};

describe('readStoredCalibration', () => {
  it('gives none for nothing stored', () => {
    expect(readStoredCalibration(null)).toBeNull();
    expect(readStoredCalibration(undefined)).toBeNull();
  });

  it('gives none for a calibration the schema refuses', () => {
    expect(readStoredCalibration({ right: { arm: 'right' } })).toBeNull();
    expect(readStoredCalibration('not a calibration')).toBeNull();
  });

  it('gives a calibration the schema takes as stored', () => {
    expect(readStoredCalibration({})).toEqual({});
    expect(readStoredCalibration({ right: rightArm })).toEqual({ right: rightArm });
  });
});
