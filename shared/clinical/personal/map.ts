import type { Arm } from '../types';
import { weightedMedian } from './stats';
import { SECTOR_COUNT, type SectorId } from './sectors';
import { measureValue, type PersonalTrial } from './trial';

/**
 * The spatial performance map of one arm: per sector, how this patient does there, with older
 * sessions counting less. A trial of the session k sessions before the latest weighs
 * 0.5^(k / HALF_LIFE_SESSIONS); trials more than MAX_AGE_HALF_LIVES half-lives old are dropped
 * (weight below 0.001). Derived from stored trials (buildPerformanceMap) and updated per trial
 * (addTrialToMap) with the same numbers.
 */
export const HALF_LIFE_SESSIONS = 5;
export const MAX_AGE_HALF_LIVES = 10;

export const MAP_MEASURES = ['movementTime', 'sparc', 'pathRatio'] as const;
export type MapMeasure = (typeof MAP_MEASURES)[number];

/** A measured value and the session it came from. */
interface Sample {
  value: number;
  session: number;
}

/**
 * One sector's trials: counts per session (for the success rate) and, per measure, the valid
 * values kept sorted ascending (equal values in arrival order), so a weighted median is one pass.
 */
interface SectorData {
  /** The oldest session with a trial here (Infinity when none): pruning is skipped until it ages out. */
  oldestSession: number;
  trialsBySession: Map<number, number>;
  hitsBySession: Map<number, number>;
  samples: Record<MapMeasure, Sample[]>;
}

export interface SectorStats {
  sector: SectorId;
  /** Trials counted (within the age limit), unweighted. */
  trials: number;
  /** Sum of the trials' weights. */
  effectiveTrials: number;
  /** Weighted share of hits; null without trials. */
  successRate: number | null;
  /** Weighted medians over the trials where the measure is valid; null without any. */
  movementTime: number | null;
  sparc: number | null;
  pathRatio: number | null;
}

export interface PerformanceMapState {
  arm: Arm;
  halfLifeSessions: number;
  /** Session ids in the order they were first seen; the last is the current session. */
  sessionIndex: Map<string, number>;
  currentSession: number;
  sectors: SectorData[];
  stats: SectorStats[];
  dirty: boolean[];
  /** weights[age]: the weight of a trial `age` sessions old, 0 to the age limit. */
  weights: number[];
  /** Trials of this arm left out because they had no sector. */
  unmapped: number;
}

const emptyStats = (sector: SectorId): SectorStats => ({
  sector,
  trials: 0,
  effectiveTrials: 0,
  successRate: null,
  movementTime: null,
  sparc: null,
  pathRatio: null,
});

const emptySector = (): SectorData => ({
  oldestSession: Infinity,
  trialsBySession: new Map(),
  hitsBySession: new Map(),
  samples: { movementTime: [], sparc: [], pathRatio: [] },
});

export function createPerformanceMap(
  arm: Arm,
  halfLifeSessions = HALF_LIFE_SESSIONS,
): PerformanceMapState {
  if (!(Number.isFinite(halfLifeSessions) && halfLifeSessions > 0))
    throw new RangeError(`halfLifeSessions must be a positive number, got ${halfLifeSessions}`);
  return {
    arm,
    halfLifeSessions,
    sessionIndex: new Map(),
    currentSession: -1,
    sectors: Array.from({ length: SECTOR_COUNT }, emptySector),
    stats: Array.from({ length: SECTOR_COUNT }, (_, s) => emptyStats(s)),
    dirty: new Array<boolean>(SECTOR_COUNT).fill(false),
    weights: Array.from(
      { length: Math.floor(MAX_AGE_HALF_LIVES * halfLifeSessions) + 1 },
      (_, age) => sessionWeight(age, halfLifeSessions),
    ),
    unmapped: 0,
  };
}

/** Weight of a trial `age` sessions old; 0 beyond the age limit. */
export function sessionWeight(age: number, halfLifeSessions = HALF_LIFE_SESSIONS): number {
  return age > MAX_AGE_HALF_LIVES * halfLifeSessions ? 0 : 0.5 ** (age / halfLifeSessions);
}

function sessionOf(map: PerformanceMapState, sessionId: string): number {
  const known = map.sessionIndex.get(sessionId);
  if (known !== undefined) return known;
  const index = map.sessionIndex.size;
  map.sessionIndex.set(sessionId, index);
  map.currentSession = index;
  // Every weight changed and the oldest trials may have aged out: drop them, recompute lazily.
  const oldest = index - MAX_AGE_HALF_LIVES * map.halfLifeSessions;
  for (let s = 0; s < SECTOR_COUNT; s++) {
    const data = map.sectors[s]!;
    if (data.oldestSession < oldest) {
      let remaining = Infinity;
      for (const session of [...data.trialsBySession.keys()])
        if (session < oldest) {
          data.trialsBySession.delete(session);
          data.hitsBySession.delete(session);
        } else remaining = Math.min(remaining, session);
      data.oldestSession = remaining;
      for (const m of MAP_MEASURES)
        data.samples[m] = data.samples[m].filter((x) => x.session >= oldest);
    }
    map.dirty[s] = true;
  }
  return index;
}

/** Inserts after every sample of equal or lower value (binary search), keeping arrival order among equals. */
function insertSorted(list: Sample[], sample: Sample): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.value <= sample.value) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, sample);
}

/** Adds a trial's data without recomputing anything; false when the trial is not mapped. */
function record(map: PerformanceMapState, trial: PersonalTrial): boolean {
  if (trial.arm !== map.arm) return false;
  if (trial.sector === null || !(trial.sector >= 0 && trial.sector < SECTOR_COUNT)) {
    map.unmapped++;
    return false;
  }
  const session = sessionOf(map, trial.sessionId);
  const data = map.sectors[trial.sector]!;
  data.oldestSession = Math.min(data.oldestSession, session);
  data.trialsBySession.set(session, (data.trialsBySession.get(session) ?? 0) + 1);
  if (trial.outcome === 'hit')
    data.hitsBySession.set(session, (data.hitsBySession.get(session) ?? 0) + 1);
  for (const m of MAP_MEASURES) {
    const value = measureValue(trial.metrics, m);
    if (value !== null) insertSorted(data.samples[m], { value, session });
  }
  map.dirty[trial.sector] = true;
  return true;
}

/**
 * Adds one finished trial (in session order) and returns its sector's new statistics; null when
 * the trial is of the other arm or has no sector (counted in `unmapped`).
 */
export function addTrialToMap(map: PerformanceMapState, trial: PersonalTrial): SectorStats | null {
  return record(map, trial) ? sectorStats(map, trial.sector!) : null;
}

/** A sector's statistics, recomputed only when a trial or a new session changed them. */
export function sectorStats(map: PerformanceMapState, sector: SectorId): SectorStats {
  if (!map.dirty[sector]) return map.stats[sector]!;
  const stats = computeStats(map, sector, [map.sectors[sector]!]);
  map.stats[sector] = stats;
  map.dirty[sector] = false;
  return stats;
}

/** All 24 sectors' statistics, in sector order. */
export function performanceMap(map: PerformanceMapState): SectorStats[] {
  const out: SectorStats[] = [];
  for (let s = 0; s < SECTOR_COUNT; s++) out.push(sectorStats(map, s));
  return out;
}

/** The statistics of several sectors pooled (all by default): the "elsewhere" of explanations. */
export function pooledStats(map: PerformanceMapState, sectors?: readonly SectorId[]): SectorStats {
  const chosen = sectors ?? map.sectors.map((_, s) => s);
  return computeStats(
    map,
    -1,
    chosen.map((s) => map.sectors[s]).filter((d): d is SectorData => d !== undefined),
  );
}

/** Weighted median of samples sorted ascending: the rule of `weightedMedian`, in one pass. */
function weightedMedianSorted(samples: readonly Sample[], weightOf: (session: number) => number) {
  let total = 0;
  for (const x of samples) total += weightOf(x.session);
  if (!(total > 0)) return null;
  const half = total / 2;
  let cumulative = 0;
  for (let k = 0; k < samples.length; k++) {
    cumulative += weightOf(samples[k]!.session);
    if (Math.abs(cumulative - half) <= 1e-12 * total && k + 1 < samples.length)
      return (samples[k]!.value + samples[k + 1]!.value) / 2;
    if (cumulative >= half) return samples[k]!.value;
  }
  return samples[samples.length - 1]!.value;
}

function computeStats(
  map: PerformanceMapState,
  sector: SectorId,
  data: readonly SectorData[],
): SectorStats {
  const weights = map.weights;
  const weightOf = (session: number) => weights[map.currentSession - session] ?? 0;
  let trials = 0;
  let total = 0;
  let hits = 0;
  for (const d of data) {
    for (const [session, n] of d.trialsBySession) {
      const w = weightOf(session);
      if (w === 0) continue;
      trials += n;
      total += w * n;
      hits += w * (d.hitsBySession.get(session) ?? 0);
    }
  }
  const median = (m: MapMeasure) => {
    if (data.length === 1) return weightedMedianSorted(data[0]!.samples[m], weightOf);
    const values: number[] = [];
    const weights: number[] = [];
    for (const d of data)
      for (const x of d.samples[m]) {
        values.push(x.value);
        weights.push(weightOf(x.session));
      }
    return weightedMedian(values, weights);
  };
  return {
    sector,
    trials,
    effectiveTrials: total,
    successRate: total > 0 ? hits / total : null,
    movementTime: median('movementTime'),
    sparc: median('sparc'),
    pathRatio: median('pathRatio'),
  };
}

/**
 * The map of `arm` from stored trials, oldest session first (a session's trials in trial order):
 * the same state as adding them one by one.
 */
export function buildPerformanceMap(
  trials: readonly PersonalTrial[],
  arm: Arm,
  halfLifeSessions = HALF_LIFE_SESSIONS,
): PerformanceMapState {
  const map = createPerformanceMap(arm, halfLifeSessions);
  for (const t of trials) record(map, t);
  return map;
}
