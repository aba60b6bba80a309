import { describe, expect, it } from 'vitest';
import { rehearseSession } from '../../../shared/game/session/rehearsal';

describe('the rehearsal before Enter VR', () => {
  it('plays the standard reach test and one trial of each task to a hit, the same every time', () => {
    const outcomes = rehearseSession();
    // 8 test targets for the right arm, then touch, hold and grasp
    expect(outcomes).toEqual(Array(11).fill('hit'));
    expect(rehearseSession()).toEqual(outcomes);
  });
});
