import { kendallS, kendallVariance, median } from './stats';
import { measureValue, type PersonalTrial } from './trial';
import type { Arm, Task } from '../types';

/**
 * Fatigue within a session: the Mann-Kendall trend test (Mann 1945; Kendall 1975) on movement
 * time and on SPARC over the session's trials in order, for the task and arm with the most trials
 * (ties: the one met first). S = sum over i < j of sign(x_j - x_i), Var(S) with the tie
 * correction, z = (S - 1)/sqrt(Var) for S > 0, (S + 1)/sqrt(Var) for S < 0, else 0. Fatigue is a
 * significant worsening, one-sided at 1 % per measure (z >= 2.326 for movement time rising,
 * z <= -2.326 for SPARC falling): at most 2 % false reports for a steady patient. Each measure
 * needs FATIGUE_MIN_TRIALS valid values.
 */
export const FATIGUE_MIN_TRIALS = 10;
export const FATIGUE_Z = 2.3263478740408408;

export interface TrendTest {
  measure: 'movementTime' | 'sparc';
  n: number;
  s: number;
  variance: number;
  z: number;
  worsening: boolean;
  firstThirdMedian: number | null;
  lastThirdMedian: number | null;
}

export interface FatigueReport {
  state: 'fatigue' | 'steady' | 'not_enough_data';
  task: Task | null;
  arm: Arm | null;
  tests: TrendTest[];
  text: string;
}

export function mannKendall(values: readonly number[]): { s: number; variance: number; z: number } {
  const s = kendallS(values);
  const variance = kendallVariance(values);
  const z =
    variance <= 0
      ? 0
      : s > 0
        ? (s - 1) / Math.sqrt(variance)
        : s < 0
          ? (s + 1) / Math.sqrt(variance)
          : 0;
  return { s, variance, z };
}

function testMeasure(
  trials: readonly PersonalTrial[],
  measure: TrendTest['measure'],
): TrendTest | null {
  const values: number[] = [];
  for (const t of trials) {
    const v = measureValue(t.metrics, measure);
    if (v !== null) values.push(v);
  }
  if (values.length < FATIGUE_MIN_TRIALS) return null;
  const { s, variance, z } = mannKendall(values);
  const third = Math.floor(values.length / 3);
  return {
    measure,
    n: values.length,
    s,
    variance,
    z,
    worsening: measure === 'movementTime' ? z >= FATIGUE_Z : z <= -FATIGUE_Z,
    firstThirdMedian: median(values.slice(0, third)),
    lastThirdMedian: median(values.slice(values.length - third)),
  };
}

const NAMES = { movementTime: 'movement time', sparc: 'smoothness (SPARC)' } as const;
const fmt = (measure: TrendTest['measure'], v: number | null) =>
  v === null ? '-' : measure === 'movementTime' ? `${v.toFixed(2)} s` : v.toFixed(2);

/** The session's fatigue report, from its trials in trial order. */
export function detectFatigue(sessionTrials: readonly PersonalTrial[]): FatigueReport {
  const counts = new Map<string, { task: Task; arm: Arm; n: number }>();
  for (const t of sessionTrials) {
    const key = `${t.task}|${t.arm}`;
    const c = counts.get(key) ?? { task: t.task, arm: t.arm, n: 0 };
    c.n++;
    counts.set(key, c);
  }
  let chosen: { task: Task; arm: Arm; n: number } | null = null;
  for (const c of counts.values()) if (chosen === null || c.n > chosen.n) chosen = c;
  if (chosen === null)
    return {
      state: 'not_enough_data',
      task: null,
      arm: null,
      tests: [],
      text: 'not enough data: no trials yet',
    };
  const group = sessionTrials.filter((t) => t.task === chosen.task && t.arm === chosen.arm);
  const tests = [testMeasure(group, 'movementTime'), testMeasure(group, 'sparc')].filter(
    (t): t is TrendTest => t !== null,
  );
  const base = { task: chosen.task, arm: chosen.arm, tests };
  if (tests.length === 0)
    return {
      ...base,
      state: 'not_enough_data',
      text: `not enough data for a fatigue check: fewer than ${FATIGUE_MIN_TRIALS} measured trials (${chosen.task}, ${chosen.arm} arm)`,
    };
  const worse = tests.filter((t) => t.worsening);
  if (worse.length === 0)
    return { ...base, state: 'steady', text: 'no sign of fatigue in this session' };
  const parts = worse.map(
    (t) =>
      `${NAMES[t.measure]} ${t.measure === 'movementTime' ? 'rose' : 'fell'} over the session (median ${fmt(t.measure, t.firstThirdMedian)} in the first third, ${fmt(t.measure, t.lastThirdMedian)} in the last; Mann-Kendall z = ${t.z.toFixed(1)}, one-sided p < 0.01)`,
  );
  return {
    ...base,
    state: 'fatigue',
    text: `Signs of fatigue (${chosen.task}, ${chosen.arm} arm): ${parts.join('; ')}. A rest or a shorter session may help.`,
  };
}

/** Reports fatigue once per session: call after each trial, show the text when it is not null. */
export interface FatigueMonitor {
  reported: boolean;
}
export const createFatigueMonitor = (): FatigueMonitor => ({ reported: false });

export function fatigueToReport(
  monitor: FatigueMonitor,
  sessionTrials: readonly PersonalTrial[],
): FatigueReport | null {
  if (monitor.reported) return null;
  const report = detectFatigue(sessionTrials);
  if (report.state !== 'fatigue') return null;
  monitor.reported = true;
  return report;
}
