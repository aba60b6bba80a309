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
  return { s, variance, z: mannKendallZ(s, variance) };
}

/** z with the continuity correction; 0 without variance (all values equal, or too few). */
function mannKendallZ(s: number, variance: number): number {
  if (variance <= 0) return 0;
  return s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
}

const worsens = (measure: TrendTest['measure'], z: number) =>
  measure === 'movementTime' ? z >= FATIGUE_Z : z <= -FATIGUE_Z;

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
    worsening: worsens(measure, z),
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

/**
 * One measure's trend test kept up to date value by value: S grows by the signs of the new value
 * against the earlier ones (O(n) a value, not the O(n^2) of recomputing it), and the tie
 * correction by the change of the new value's tie group. Both are integers, so S, Var(S) and z
 * are exactly what mannKendall gives over the same values.
 */
interface RunningTrend {
  values: number[];
  s: number;
  tieGroups: Map<number, number>;
  /** Sum over tie groups of t(t-1)(2t+5). */
  ties: number;
}

/** A task and arm of the session: its trials and its running tests. */
interface FatigueGroup {
  trials: number;
  /** Order in which the session met it: ties on `trials` go to the earlier. */
  order: number;
  movementTime: RunningTrend;
  sparc: RunningTrend;
}

/**
 * Reports fatigue once per session: call fatigueToReport after each trial, with the session's
 * trials so far (the same list, grown at its end); show the text when it is not null. The tests
 * run on what each call added only, and the full report is made once, when fatigue is found.
 */
export interface FatigueMonitor {
  reported: boolean;
  /** How many of the session's trials the running tests hold. */
  seen: number;
  /** Per task and arm, in the order the session met them. */
  groups: Map<string, FatigueGroup>;
  /** The group with the most trials (ties: the one met first): the one detectFatigue tests. */
  chosen: FatigueGroup | null;
}

export const createFatigueMonitor = (): FatigueMonitor => ({
  reported: false,
  seen: 0,
  groups: new Map(),
  chosen: null,
});

const runningTrend = (): RunningTrend => ({ values: [], s: 0, tieGroups: new Map(), ties: 0 });
const tieTerm = (t: number) => t * (t - 1) * (2 * t + 5);

function addToTrend(trend: RunningTrend, value: number): void {
  for (const earlier of trend.values) trend.s += Math.sign(value - earlier);
  trend.values.push(value);
  const t = trend.tieGroups.get(value) ?? 0;
  trend.tieGroups.set(value, t + 1);
  trend.ties += tieTerm(t + 1) - tieTerm(t);
}

function trendWorsens(trend: RunningTrend, measure: TrendTest['measure']): boolean {
  const n = trend.values.length;
  if (n < FATIGUE_MIN_TRIALS) return false;
  const variance = (n * (n - 1) * (2 * n + 5) - trend.ties) / 18;
  return worsens(measure, mannKendallZ(trend.s, variance));
}

function addToFatigue(monitor: FatigueMonitor, trial: PersonalTrial): void {
  const key = `${trial.task}|${trial.arm}`;
  let group = monitor.groups.get(key);
  if (group === undefined) {
    group = {
      trials: 0,
      order: monitor.groups.size,
      movementTime: runningTrend(),
      sparc: runningTrend(),
    };
    monitor.groups.set(key, group);
  }
  group.trials++;
  for (const measure of ['movementTime', 'sparc'] as const) {
    const value = measureValue(trial.metrics, measure);
    if (value !== null) addToTrend(group[measure], value);
  }
  const chosen = monitor.chosen;
  if (
    chosen === null ||
    group.trials > chosen.trials ||
    (group.trials === chosen.trials && group.order < chosen.order)
  )
    monitor.chosen = group;
}

export function fatigueToReport(
  monitor: FatigueMonitor,
  sessionTrials: readonly PersonalTrial[],
): FatigueReport | null {
  if (monitor.reported) return null;
  if (sessionTrials.length < monitor.seen) {
    // Not the list the monitor has followed: start over on this one.
    Object.assign(monitor, createFatigueMonitor());
  }
  for (let i = monitor.seen; i < sessionTrials.length; i++)
    addToFatigue(monitor, sessionTrials[i]!);
  monitor.seen = sessionTrials.length;
  const chosen = monitor.chosen;
  if (
    chosen === null ||
    !(trendWorsens(chosen.movementTime, 'movementTime') || trendWorsens(chosen.sparc, 'sparc'))
  )
    return null;
  // Found: the full report (thirds' medians, text) once, from the same trials.
  const report = detectFatigue(sessionTrials);
  monitor.reported = true;
  return report;
}
