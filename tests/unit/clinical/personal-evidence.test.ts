/**
 * The "Evidence that it works", with synthetic patients built on the specification's
 * profiles (personal-sim.ts): each figure printed, each criterion asserted.
 */
import { describe, expect, it } from 'vitest';
import {
  addToBaseline,
  assessmentValues,
  buildPerformanceMap,
  checkAgainstBaseline,
  createBaseline,
  detectFatigue,
  focusNeeds,
  performanceMap,
  recoveryTrend,
  type PersonalTrial,
} from '../../../shared/clinical/index';
import { SYNTHETIC_PROFILES } from './helpers';
import {
  isUpAcross,
  mulberry32,
  newSimulation,
  normal,
  playSession,
  type SyntheticPatient,
} from './personal-sim';

const upAcrossPatient = (profile: readonly [number, number, number]): SyntheticPatient => ({
  profile,
  weakness: 30,
  isWeak: isUpAcross,
});

const share = (trials: readonly PersonalTrial[]) =>
  trials.filter((t) => isUpAcross(t.sector)).length / trials.length;
const successRate = (trials: readonly PersonalTrial[]) =>
  trials.filter((t) => t.outcome === 'hit').length / trials.length;

describe('a patient weak up and across', () => {
  for (const name of ['base', 'shallow', 'lapsing'] as const) {
    it(`${name}: after 60 trials the map ranks up-across lowest; focus gives it >= 2x the balanced share; success stays within 0.05 of 75 %`, () => {
      const seeds = 10;
      let ranked = 0;
      let balancedShare = 0;
      let focusShare = 0;
      const rates: number[] = [];
      for (let seed = 1; seed <= seeds; seed++) {
        const random = mulberry32(seed * 7919 + name.length);
        const sim = newSimulation();
        const balanced = playSession(
          upAcrossPatient(SYNTHETIC_PROFILES[name]),
          sim,
          'one',
          60,
          'balanced',
          random,
        );
        // Ranked lowest: every up-across sector tried 5 times or more has a greater need (lower
        // success, worse smoothness) than every other sector tried as often.
        const needs = focusNeeds(sim.map);
        const tried = performanceMap(sim.map).filter((s) => s.trials >= 5);
        const weak = tried.filter((s) => isUpAcross(s.sector)).map((s) => needs[s.sector]!.need);
        const rest = tried.filter((s) => !isUpAcross(s.sector)).map((s) => needs[s.sector]!.need);
        if (weak.length > 0 && Math.min(...weak) > Math.max(...rest)) ranked++;
        const focus = playSession(
          upAcrossPatient(SYNTHETIC_PROFILES[name]),
          sim,
          'two',
          160,
          'focus',
          random,
        );
        balancedShare += share(balanced) / seeds;
        focusShare += share(focus) / seeds;
        rates.push(successRate(focus.slice(20)));
      }
      const meanRate = rates.reduce((a, b) => a + b, 0) / rates.length;
      console.log(
        `${name}: ranked lowest in ${ranked}/${seeds} seeds; up-across share balanced ${balancedShare.toFixed(3)}, focus ${focusShare.toFixed(3)} (x${(focusShare / balancedShare).toFixed(2)}); focus success ${meanRate.toFixed(3)} (per seed ${Math.min(...rates).toFixed(3)}-${Math.max(...rates).toFixed(3)})`,
      );
      expect(ranked).toBe(seeds);
      expect(focusShare).toBeGreaterThanOrEqual(2 * balancedShare);
      expect(Math.abs(meanRate - 0.75)).toBeLessThanOrEqual(0.05);
      expect(rates.filter((r) => Math.abs(r - 0.75) <= 0.05).length).toBeGreaterThanOrEqual(
        seeds - 1,
      );
    }, 120_000);
  }

  it('the map rebuilt from the stored trials equals the one updated per trial', () => {
    const sim = newSimulation();
    const random = mulberry32(99);
    playSession(upAcrossPatient(SYNTHETIC_PROFILES.base), sim, 'one', 40, 'balanced', random);
    playSession(upAcrossPatient(SYNTHETIC_PROFILES.base), sim, 'two', 40, 'focus', random);
    expect(performanceMap(buildPerformanceMap(sim.trials, 'right'))).toEqual(
      performanceMap(sim.map),
    );
  });
});

/** One session of 30 touch trials; movement time x `lastThirdFactor` in the last 10. */
function fatigueSession(seed: number, lastThirdFactor: number): PersonalTrial[] {
  const random = mulberry32(seed);
  return Array.from({ length: 30 }, (_, i) => ({
    sessionId: 's',
    task: 'touch' as const,
    arm: 'right' as const,
    sector: 10,
    outcome: 'hit' as const,
    metrics: {
      movementTime: (i >= 20 ? lastThirdFactor : 1) * 1.2 * Math.exp(0.2 * normal(random)),
      sparc: -1.7 + 0.15 * normal(random),
    },
  }));
}

describe('fatigue', () => {
  it('movement time doubling in the last third is reported; a steady patient with the same noise is not in >= 95 % of seeds', () => {
    const seeds = 500;
    let detected = 0;
    let falseAlarms = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      if (detectFatigue(fatigueSession(seed, 2)).state === 'fatigue') detected++;
      if (detectFatigue(fatigueSession(seed + 100_000, 1)).state === 'fatigue') falseAlarms++;
    }
    console.log(
      `fatigue: detected in ${detected}/${seeds}, steady reported in ${falseAlarms}/${seeds}`,
    );
    expect(detected / seeds).toBeGreaterThanOrEqual(0.95);
    expect(1 - falseAlarms / seeds).toBeGreaterThanOrEqual(0.95);
  });
});

describe('abnormal trials', () => {
  it('a trial 5 robust SDs (5 x 1.4826 MAD) from the median is flagged after 20 comparable trials, never before', () => {
    let flagged = 0;
    let flaggedEarly = 0;
    let usualFlagged = 0;
    const seeds = 200;
    for (let seed = 1; seed <= seeds; seed++) {
      const random = mulberry32(seed);
      const baseline = createBaseline();
      const values: number[] = [];
      for (let i = 0; i < 40; i++) {
        const t: PersonalTrial = {
          sessionId: 's',
          task: 'touch',
          arm: 'right',
          sector: 18,
          outcome: 'hit',
          metrics: { movementTime: 1.1 + 0.1 * normal(random) },
        };
        if (i < 20) {
          // An injected outlier with fewer than 20 comparable trials: never flagged.
          const early = checkAgainstBaseline(baseline, { ...t, metrics: { movementTime: 5 } });
          if (early.flags.length > 0) flaggedEarly++;
        } else if (checkAgainstBaseline(baseline, t).flags.length > 0) usualFlagged++;
        addToBaseline(baseline, t);
        values.push(t.metrics.movementTime!);
      }
      const recent = values.slice(-50).sort((a, b) => a - b);
      const med = (recent[19]! + recent[20]!) / 2;
      const mad = [...recent.map((v) => Math.abs(v - med))].sort((a, b) => a - b);
      const robustSd = 1.4826 * ((mad[19]! + mad[20]!) / 2);
      const injected = checkAgainstBaseline(baseline, {
        sessionId: 's',
        task: 'touch',
        arm: 'right',
        sector: 18,
        outcome: 'hit',
        metrics: { movementTime: med + 5 * robustSd },
      });
      if (injected.flags.some((f) => f.measure === 'movementTime')) flagged++;
    }
    console.log(
      `abnormal: injected flagged ${flagged}/${seeds}, usual trials flagged ${usualFlagged}/${seeds * 20}`,
    );
    expect(flagged).toBe(seeds);
    expect(flaggedEarly).toBe(0);
    expect(usualFlagged / (seeds * 20)).toBeLessThan(0.01);
  });
});

describe('bad input end to end', () => {
  it('NaN metrics, trials without a sector, one session, all values equal: "not enough data", never NaN', () => {
    const trials: PersonalTrial[] = Array.from({ length: 25 }, (_, i) => ({
      sessionId: 'only',
      task: 'touch',
      arm: 'right',
      sector: i % 5 === 0 ? null : 11,
      outcome: 'hit',
      assessment: true,
      metrics: { movementTime: i % 3 === 0 ? NaN : 1, sparc: -1.6, pathRatio: Infinity },
    }));
    const map = buildPerformanceMap(trials, 'right');
    const baseline = createBaseline();
    for (const t of trials.slice(0, 24)) addToBaseline(baseline, t);
    const check = checkAgainstBaseline(baseline, trials[24]!);
    const fatigue = detectFatigue(trials);
    const values = assessmentValues(trials, 'right');
    const trend = recoveryTrend('assessmentMovementTime', [
      { date: '2026-01-05T10:00:00Z', value: values.assessmentMovementTime },
    ]);
    const everything = { map: performanceMap(map), needs: focusNeeds(map), check, fatigue, trend };
    expect(JSON.stringify(everything)).not.toMatch(/NaN|Infinity/);
    expect(map.unmapped).toBe(5);
    expect(check.flags).toHaveLength(0);
    expect(fatigue.state).toBe('steady');
    expect(trend.state).toBe('not_enough_data');
    expect(trend.text).toMatch(/no projection yet: 1 session with a value/);
  });
});
