import { describe, expect, it } from 'vitest';
import { displayStyle, parsePresets } from '../../../shared/game/display-presets';

describe('display presets', () => {
  it('scales the panel and outline when large, switches palette when high contrast', () => {
    const plain = displayStyle({ large: false, highContrast: false });
    expect([
      plain.panelScale,
      plain.outlineM,
      plain.palette.background,
      plain.panelOpacity,
    ]).toEqual([1, 0.004, '#0b1d2a', 0.92]);
    const both = displayStyle({ large: true, highContrast: true });
    expect([both.panelScale, both.outlineM, both.palette.background, both.palette.target]).toEqual([
      1.5,
      0.012,
      '#000000',
      '#ffff00',
    ]);
    expect(both.panelOpacity).toBe(1);
  });

  it('reads stored presets defensively', () => {
    expect(parsePresets(null)).toEqual({ large: false, highContrast: false });
    expect(parsePresets('{"large":true,"highContrast":"yes"}')).toEqual({
      large: true,
      highContrast: false,
    });
    expect(parsePresets('not json')).toEqual({ large: false, highContrast: false });
    expect(parsePresets('null')).toEqual({ large: false, highContrast: false });
  });
});
