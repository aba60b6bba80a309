import { describe, expect, it } from 'vitest';
import { MISS_FADE_S, MISS_SINK_M, missFadeAt } from '../../../client/patient/worlds/miss-fade';

describe('the gentle miss', () => {
  const frame = () => ({ sink: -1, opacity: -1, scale: -1 });

  it('starts as a half-transparent copy where the target was', () => {
    expect(missFadeAt(0, frame())).toEqual({ sink: 0, opacity: 0.5, scale: 1 });
  });

  it('sinks 12 cm and fades out over 1.2 s, slowing down as it goes', () => {
    expect([MISS_FADE_S, MISS_SINK_M]).toEqual([1.2, 0.12]);
    const half = missFadeAt(0.6, frame());
    expect(half.sink).toBeCloseTo(0.09, 12);
    expect(half.opacity).toBeCloseTo(0.25, 12);
    expect(half.scale).toBeCloseTo(0.775, 12);
    expect(missFadeAt(1.2, frame())).toEqual({ sink: 0.12, opacity: 0, scale: 0.7 });
    expect(missFadeAt(5, frame())).toEqual({ sink: 0.12, opacity: 0, scale: 0.7 });
  });
});
