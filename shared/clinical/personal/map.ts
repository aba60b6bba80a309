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

interface MapEntry {
  session: number;
  hit: boolean;
  movementTime: number | null;
  sparc: number | null;
  pathRatio: number | null;
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
  entries: MapEntry[][];
  stats: SectorStats[];
  dirty: boolean[];
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
    entries: Array.from({ length: SECTOR_COUNT }, () => []),
    stats: Array.from({ length: SECTOR_COUNT }, (_, s) => emptyStats(s)),
    dirty: new Array<boolean>(SECTOR_COUNT).fill(false),
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
    const list = map.entries[s]!;
    if (list.length > 0 && list[0]!.session < oldest)
      map.entries[s] = list.filter((e) => e.session >= oldest);
    map.dirty[s] = true;
  }
  return index;
}

/**
 * Adds one finished trial (in session order) and returns its sector's new statistics; null when
 * the trial is of the other arm or has no sector (counted in `unmapped`).
 */
export function addTrialToMap(map: PerformanceMapState, trial: PersonalTrial): SectorStats | null {
  if (trial.arm !== map.arm) return null;
  if (trial.sector === null || !(trial.sector >= 0 && trial.sector < SECTOR_COUNT)) {
    map.unmapped++;
    return null;
  }
  const session = sessionOf(map, trial.sessionId);
  map.entries[trial.sector]!.push({
    session,
    hit: trial.outcome === 'hit',
    movementTime: measureValue(trial.metrics, 'movementTime'),
    sparc: measureValue(trial.metrics, 'sparc'),
    pathRatio: measureValue(trial.metrics, 'pathRatio'),
  });
  map.dirty[trial.sector] = true;
  return sectorStats(map, trial.sector);
}

/** A sector's statistics, recomputed only when a trial or a new session changed them. */
export function sectorStats(map: PerformanceMapState, sector: SectorId): SectorStats {
  if (!map.dirty[sector]) return map.stats[sector]!;
  const stats = computeStats(map, sector, map.entries[sector]!);
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

/** The pooled statistics of all sectors together (the "elsewhere" of explanations). */
export function pooledStats(map: PerformanceMapState, sectors?: readonly SectorId[]): SectorStats {
  const all: MapEntry[] = [];
  const chosen = sectors ?? map.entries.map((_, s) => s);
  for (const s of chosen) all.push(...(map.entries[s] ?? []));
  return computeStats(map, -1, all);
}

function computeStats(
  map: PerformanceMapState,
  sector: SectorId,
  entries: MapEntry[],
): SectorStats {
  const weights: number[] = [];
  let total = 0;
  let hits = 0;
  let trials = 0;
  for (const e of entries) {
    const w = sessionWeight(map.currentSession - e.session, map.halfLifeSessions);
    weights.push(w);
    if (w === 0) continue;
    trials++;
    total += w;
    if (e.hit) hits += w;
  }
  const weighted = (measure: MapMeasure) => {
    const values: number[] = [];
    const ws: number[] = [];
    entries.forEach((e, i) => {
      const v = e[measure];
      if (v !== null && weights[i]! > 0) {
        values.push(v);
        ws.push(weights[i]!);
      }
    });
    return weightedMedian(values, ws);
  };
  return {
    sector,
    trials,
    effectiveTrials: total,
    successRate: total > 0 ? hits / total : null,
    movementTime: weighted('movementTime'),
    sparc: weighted('sparc'),
    pathRatio: weighted('pathRatio'),
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
  for (const t of trials) addTrialToMap(map, t);
  return map;
}
