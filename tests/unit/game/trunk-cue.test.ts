import { describe, expect, it } from 'vitest';
import { isTrunkCompensation, TRUNK_CUE } from '../../../shared/game/trunk-cue';

describe('trunk-compensation cue by posture', () => {
  it('seated: more than 5 cm of forward head travel is leaning in', () => {
    expect(isTrunkCompensation({ trunkForward: 0.05 }, 'seated')).toBe(false);
    expect(isTrunkCompensation({ trunkForward: 0.0501 }, 'seated')).toBe(true);
  });

  it('standing: sway and hip strategy are not a chair back, only more than 8 cm counts', () => {
    expect(isTrunkCompensation({ trunkForward: 0.065 }, 'standing')).toBe(false);
    expect(isTrunkCompensation({ trunkForward: 0.08 }, 'standing')).toBe(false);
    expect(isTrunkCompensation({ trunkForward: 0.0801 }, 'standing')).toBe(true);
  });

  it('no head measure (null) never cues', () => {
    expect(isTrunkCompensation({ trunkForward: null }, 'seated')).toBe(false);
    expect(isTrunkCompensation({ trunkForward: null }, 'standing')).toBe(false);
  });

  it('a standing patient is not told about a chair', () => {
    expect(TRUNK_CUE.seated.message).toContain('chair');
    expect(TRUNK_CUE.standing.message).not.toContain('chair');
  });
});
