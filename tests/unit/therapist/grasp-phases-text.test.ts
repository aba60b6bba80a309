import { describe, expect, it } from 'vitest';
import { graspPhasesText } from '../../../client/therapist/live/grasp-phases-text';

describe('grasp phases in the trial feed', () => {
  it('shows every phase in seconds, with drops', () => {
    expect(
      graspPhasesText({ reachS: 0.8, acquireS: 0.95, transportS: 1.25, releaseS: 0.4, drops: 1 }),
    ).toBe('reach 0.80 s · grasp 0.95 s · carry 1.25 s · release 0.40 s · dropped once');
  });

  it('marks phases that did not happen', () => {
    expect(
      graspPhasesText({ reachS: 1.1, acquireS: null, transportS: null, releaseS: null, drops: 3 }),
    ).toBe('reach 1.10 s · grasp – · carry – · release – · dropped 3 times');
  });
});
