import { medianSorted, quantileSorted } from './stats';
import { sectorShortName } from './sectors';
import { BASELINE_MEASURES, measureValue, type BaselineMeasure, type PersonalTrial } from './trial';

/**
 * Abnormal trials against the patient's own baseline (Iglewicz & Hoaglin 1993): each measure of a
 * new trial is compared with the same measure of the last BASELINE_WINDOW trials of the same task,
 * arm and sector by the modified z-score M = 0.6745 (x - median) / MAD, flagged when |M| > 3.5,
 * and only with at least MIN_BASELINE_TRIALS valid values. When MAD is 0 (over half the values
 * equal) M = (x - median) / (1.253314 x mean absolute deviation); when that is 0 too (all equal)
 * there is no spread to compare against and nothing is flagged. Texts are for the clinician; the
 * patient is never shown them.
 */
export const BASELINE_WINDOW = 50;
export const MIN_BASELINE_TRIALS = 20;
export const MODIFIED_Z_LIMIT = 3.5;
export const MODIFIED_Z_SCALE = 0.6745;
export const MEAN_AD_SCALE = 1.253314;

type Values = Record<BaselineMeasure, number | null>;

const scratchValues = new Float64Array(BASELINE_WINDOW);
const scratchDeviations = new Float64Array(BASELINE_WINDOW);

export interface BaselineState {
  /** Per "task|arm|sector": the measures of up to the last 50 trials, oldest first. */
  groups: Map<string, Values[]>;
}

export const createBaseline = (): BaselineState => ({ groups: new Map() });

const keyOf = (trial: PersonalTrial) => `${trial.task}|${trial.arm}|${trial.sector}`;

export type MeasureCheckState = 'flag' | 'usual' | 'no_baseline' | 'no_spread' | 'no_value';

export interface MeasureCheck {
  measure: BaselineMeasure;
  state: MeasureCheckState;
  value: number | null;
  /** Valid comparable values the check used. */
  baselineCount: number;
  median: number | null;
  /** 10th and 90th percentiles of the comparable values (type 7). */
  low: number | null;
  high: number | null;
  modifiedZ: number | null;
  text: string;
}

export interface AbnormalityCheck {
  state: 'checked' | 'no_baseline' | 'no_sector';
  /** Comparable trials (same task, arm and sector), at most 50. */
  comparable: number;
  measures: MeasureCheck[];
  flags: MeasureCheck[];
  /** One line for the trial feed: the flags' texts, or why nothing could be checked. */
  text: string;
}

interface MeasureWords {
  name: string;
  digits: number;
  /** Appended to a value, with its space: " s", " m/s", " %", or "" for a ratio. */
  unit: string;
  higher: string;
  lower: string;
}

export const MEASURE_WORDS: Record<BaselineMeasure, MeasureWords> = {
  movementTime: { name: 'movement time', digits: 2, unit: ' s', higher: 'slower', lower: 'faster' },
  reactionTime: {
    name: 'reaction time',
    digits: 2,
    unit: ' s',
    higher: 'slower to start',
    lower: 'quicker to start',
  },
  peakSpeed: {
    name: 'peak speed',
    digits: 2,
    unit: ' m/s',
    higher: 'faster at its peak',
    lower: 'slower at its peak',
  },
  sparc: {
    name: 'smoothness (SPARC)',
    digits: 2,
    unit: '',
    higher: 'smoother',
    lower: 'less smooth',
  },
  pathRatio: {
    name: 'path ratio',
    digits: 2,
    unit: '',
    higher: 'less direct',
    lower: 'more direct',
  },
  trunkRatioPct: {
    name: 'trunk compensation',
    digits: 0,
    unit: ' %',
    higher: 'more trunk lean',
    lower: 'less trunk lean',
  },
};

const format = (w: MeasureWords, v: number) => `${v.toFixed(w.digits)}${w.unit}`;

/** How `trial` compares with its comparable earlier trials (call before addToBaseline). */
export function checkAgainstBaseline(
  baseline: BaselineState,
  trial: PersonalTrial,
): AbnormalityCheck {
  if (trial.sector === null)
    return {
      state: 'no_sector',
      comparable: 0,
      measures: [],
      flags: [],
      text: 'not enough data: the trial has no sector, so it has no comparable trials',
    };
  const group = baseline.groups.get(keyOf(trial)) ?? [];
  const where = `${trial.task}, ${trial.arm} arm, ${sectorShortName(trial.sector)}`;
  const measures = BASELINE_MEASURES.map((m) =>
    checkMeasure(m, trial, group, where, sectorShortName(trial.sector!)),
  );
  const flags = measures.filter((c) => c.state === 'flag');
  const anyBaseline = measures.some((c) => c.baselineCount >= MIN_BASELINE_TRIALS);
  const state = anyBaseline ? 'checked' : 'no_baseline';
  const text =
    flags.length > 0
      ? flags.map((f) => f.text).join('; ')
      : anyBaseline
        ? 'within this patient’s usual range'
        : `no baseline yet: ${group.length} comparable trials (${where}), ${MIN_BASELINE_TRIALS} needed`;
  return { state, comparable: group.length, measures, flags, text };
}

function checkMeasure(
  measure: BaselineMeasure,
  trial: PersonalTrial,
  group: readonly Values[],
  where: string,
  sectorName: string,
): MeasureCheck {
  const words = MEASURE_WORDS[measure];
  const value = measureValue(trial.metrics, measure);
  let n = 0;
  for (const g of group) if (g[measure] !== null) scratchValues[n++] = g[measure]!;
  const base = {
    measure,
    value,
    baselineCount: n,
    median: null,
    low: null,
    high: null,
    modifiedZ: null,
  };
  if (value === null)
    return { ...base, state: 'no_value', text: `${words.name}: not measured on this trial` };
  if (n < MIN_BASELINE_TRIALS)
    return {
      ...base,
      state: 'no_baseline',
      text: `${words.name}: no baseline yet (${n} of ${MIN_BASELINE_TRIALS} comparable trials, ${where})`,
    };
  // Typed arrays sort numerically and fast: this runs after every trial.
  const values = scratchValues.subarray(0, n).sort();
  const centre = medianSorted(values)!;
  const low = quantileSorted(values, 0.1)!;
  const high = quantileSorted(values, 0.9)!;
  let absoluteSum = 0;
  for (let i = 0; i < n; i++) {
    scratchDeviations[i] = Math.abs(values[i]! - centre);
    absoluteSum += scratchDeviations[i]!;
  }
  const mad = medianSorted(scratchDeviations.subarray(0, n).sort())!;
  const meanAd = absoluteSum / n;
  const withStats = { ...base, median: centre, low, high };
  if (mad === 0 && meanAd === 0)
    return {
      ...withStats,
      state: 'no_spread',
      text: `${words.name} ${format(words, value)}: their last ${n} comparable values are all ${format(words, centre)}, no spread to compare against yet`,
    };
  const z =
    mad > 0
      ? (MODIFIED_Z_SCALE * (value - centre)) / mad
      : (value - centre) / (MEAN_AD_SCALE * meanAd);
  const usual = `this patient’s usual for ${sectorName} is ${format(words, centre)}, range ${low.toFixed(words.digits)} to ${format(words, high)}`;
  if (Math.abs(z) > MODIFIED_Z_LIMIT)
    return {
      ...withStats,
      modifiedZ: z,
      state: 'flag',
      text: `${words.name} ${format(words, value)}; ${usual}: ${z > 0 ? words.higher : words.lower} than almost all of their reaches`,
    };
  return {
    ...withStats,
    modifiedZ: z,
    state: 'usual',
    text: `${words.name} ${format(words, value)}; ${usual}`,
  };
}

/** Adds a finished trial to its group, keeping the last 50 (call after checkAgainstBaseline). */
export function addToBaseline(baseline: BaselineState, trial: PersonalTrial): void {
  if (trial.sector === null) return;
  const key = keyOf(trial);
  let group = baseline.groups.get(key);
  if (group === undefined) {
    group = [];
    baseline.groups.set(key, group);
  }
  const values = {} as Values;
  for (const m of BASELINE_MEASURES) values[m] = measureValue(trial.metrics, m);
  group.push(values);
  if (group.length > BASELINE_WINDOW) group.shift();
}

/** Checks then adds every trial in order: what the live view and the session report show. */
export function checkTrials(trials: readonly PersonalTrial[]): AbnormalityCheck[] {
  const baseline = createBaseline();
  return trials.map((t) => {
    const check = checkAgainstBaseline(baseline, t);
    addToBaseline(baseline, t);
    return check;
  });
}
