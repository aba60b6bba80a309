import { describe, expect, it } from 'vitest';
import { updateDifficulty } from '../../../shared/clinical/index';
import { hitProbability, mulberry32, SYNTHETIC_PROFILES } from './helpers';

// The spec's six synthetic patients (helpers.ts).
const PROFILES = SYNTHETIC_PROFILES;

function simulate(seed: number, L50: number, s: number, lapse: number): number {
  const rnd = mulberry32(seed);
  let L = 50;
  let hitsLate = 0;
  for (let trial = 1; trial <= 100; trial++) {
    const p = hitProbability(L, L50, s, lapse);
    const reached = rnd() < p;
    const u = updateDifficulty(L, { reached, tContact: reached ? 0.5 : null });
    if (trial > 20 && u.hit) hitsLate++;
    L = u.level;
  }
  return hitsLate / 80;
}

describe('convergence with a synthetic patient (spec A)', () => {
  for (const [name, [L50, s, lapse]] of Object.entries(PROFILES)) {
    it(`${name}: success over trials 21-100 within 0.05 of 0.75 for >= 99 % of 200 seeds`, () => {
      let ok = 0;
      for (let seed = 1; seed <= 200; seed++) {
        const rate = simulate(seed * 7919 + L50, L50, s, lapse);
        if (Math.abs(rate - 0.75) <= 0.05 + 1e-12) ok++;
      }
      expect(ok / 200).toBeGreaterThanOrEqual(0.99);
    });
  }

  it('fails the criterion for a patient with no chance of success (the test can fail)', () => {
    let ok = 0;
    for (let seed = 1; seed <= 50; seed++)
      if (Math.abs(simulate(seed, -50, 6, 0) - 0.75) <= 0.05) ok++;
    expect(ok).toBe(0);
  });
});
