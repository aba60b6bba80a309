import type { Workspace } from '../../protocol';
import { placeTarget, type PlacementParams } from '../../game/placement';
import type { Vec3 } from '../types';
import { pooledStats, performanceMap, type PerformanceMapState } from './map';
import {
  heightOf,
  SECTOR_COUNT,
  sectorCentre,
  sectorOf,
  sectorShortName,
  sideOf,
  type Height,
  type SectorId,
  type Side,
} from './sectors';

/**
 * Where targets go. `balanced`: today's placement (shared/game/placement.ts). `focus`: more targets
 * where this patient needs practice, by the performance map. `sector`: only the sectors the
 * therapist picked. Focus and sector first draw FOCUS_CANDIDATES targets exactly as balanced
 * placement would (so every one honours the level's spread, the workspace and the comfortable
 * view), then choose a sector among those the candidates fall in, then one candidate in it.
 */
export const PLACEMENT_MODES = ['balanced', 'focus', 'sector'] as const;
export type PlacementMode = (typeof PLACEMENT_MODES)[number];

export const FOCUS_CANDIDATES = 16;
/** Pseudo-trials at the patient's overall values that pull a sparsely tried sector toward them. */
export const FOCUS_PRIOR_TRIALS = 3;
/** Need = 10 x success deficit + 2 x smoothness deficit (SPARC, capped at 1). */
export const FOCUS_SUCCESS_GAIN = 10;
export const FOCUS_SMOOTHNESS_GAIN = 2;
/** The floor: this share of focus targets is spread equally over the sectors within reach. */
export const FOCUS_FLOOR_SHARE = 0.3;
/** A sector with at least this need counts as a focus of practice in explanations. */
export const FOCUS_SECTOR_NEED = 1;
/** Sector mode: rounds of candidates drawn before taking the one nearest a chosen sector. */
export const SECTOR_ROUNDS = 4;

export interface SectorNeed {
  sector: SectorId;
  /** Success rate pulled toward the overall rate by FOCUS_PRIOR_TRIALS pseudo-trials. */
  successRate: number | null;
  /** Median SPARC pulled toward the overall median the same way. */
  sparc: number | null;
  need: number;
}

/**
 * Per sector: need = 10 max(0, p - p_s) + 2 min(1, max(0, q - q_s)), where p is the overall
 * weighted success, p_s = (effective hits_s + 3 p) / (effective trials_s + 3), q the overall
 * weighted median SPARC and q_s = (n_s q_s' + 3 q) / (n_s + 3) with q_s' the sector's weighted
 * median SPARC and n_s its effective trials. A sector never tried has need 0.
 */
export function focusNeeds(map: PerformanceMapState): SectorNeed[] {
  const overall = pooledStats(map);
  const p = overall.successRate;
  const q = overall.sparc;
  const k = FOCUS_PRIOR_TRIALS;
  return performanceMap(map).map((s) => {
    const n = s.effectiveTrials;
    const success =
      p === null || s.successRate === null ? p : (s.successRate * n + k * p) / (n + k);
    const sparc = q === null || s.sparc === null ? q : (s.sparc * n + k * q) / (n + k);
    const successDeficit = p === null || success === null ? 0 : Math.max(0, p - success);
    const smoothnessDeficit =
      q === null || sparc === null ? 0 : Math.min(1, Math.max(0, q - sparc));
    const need = FOCUS_SUCCESS_GAIN * successDeficit + FOCUS_SMOOTHNESS_GAIN * smoothnessDeficit;
    return { sector: s.sector, successRate: success, sparc, need };
  });
}

/**
 * The share of focus targets each sector gets when `within` are the sectors in reach:
 * FOCUS_FLOOR_SHARE / |within| + (1 - FOCUS_FLOOR_SHARE) x need_s / (sum of their needs); null when
 * no sector in reach has any need (focus then places exactly as balanced does).
 */
export function focusShares(
  needs: readonly number[],
  within: readonly SectorId[],
): Map<SectorId, number> | null {
  let total = 0;
  for (const s of within) total += needs[s] ?? 0;
  if (!(total > 0)) return null;
  const shares = new Map<SectorId, number>();
  for (const s of within)
    shares.set(
      s,
      FOCUS_FLOOR_SHARE / within.length + ((1 - FOCUS_FLOOR_SHARE) * (needs[s] ?? 0)) / total,
    );
  return shares;
}

export type Placement =
  | { mode: 'balanced' }
  | { mode: 'focus'; needs: readonly number[] }
  | { mode: 'sector'; sectors: readonly SectorId[] };

export interface PlacedTarget {
  position: Vec3;
  sector: SectorId | null;
  /** Sector mode only: no candidate fell in a chosen sector; the nearest one was taken. */
  outsideChosen: boolean;
}

/** Angular distance (degrees, azimuth-elevation) between a sector's centre and the nearest chosen one's. */
function distanceToChosen(sector: SectorId | null, chosen: readonly SectorId[]): number {
  if (sector === null) return Infinity;
  const c = sectorCentre(sector);
  let best = Infinity;
  for (const s of chosen) {
    const d = sectorCentre(s);
    best = Math.min(best, Math.hypot(c.azimuthDeg - d.azimuthDeg, c.elevationDeg - d.elevationDeg));
  }
  return best;
}

/** One of `indices` uniformly: floor(random() x count). */
const pick = (indices: readonly number[], random: () => number) =>
  indices[Math.min(indices.length - 1, Math.floor(random() * indices.length))]!;

/**
 * The next target under `placement`. Balanced: balanced placement itself. Focus: 16 balanced
 * candidates; the sectors in reach are the distinct sectors among them (ascending); a sector is
 * chosen by focusShares (the first whose cumulative share exceeds random()), then one of its
 * candidates uniformly; with no need anywhere, one candidate uniformly. Sector: among 16 balanced
 * candidates, one uniformly of those in a chosen sector; up to 4 rounds, then the candidate whose
 * sector centre is nearest a chosen one (`outsideChosen`). Pure: all randomness from `random`.
 */
export function placePersonalTarget(
  ws: Workspace,
  params: PlacementParams,
  placement: Placement,
  random: () => number,
  hand?: Vec3,
): PlacedTarget {
  if (placement.mode === 'balanced') {
    const position = placeTarget(ws, params, random, hand);
    return { position, sector: sectorOf(ws, position), outsideChosen: false };
  }
  const positions: Vec3[] = [];
  const sectors: (SectorId | null)[] = [];
  const draw = () => {
    positions.length = 0;
    sectors.length = 0;
    for (let i = 0; i < FOCUS_CANDIDATES; i++) {
      const position = placeTarget(ws, params, random, hand);
      positions.push(position);
      sectors.push(sectorOf(ws, position));
    }
  };
  const chosenCandidate = (index: number): PlacedTarget => ({
    position: positions[index]!,
    sector: sectors[index]!,
    outsideChosen: false,
  });
  const all = Array.from({ length: FOCUS_CANDIDATES }, (_, i) => i);
  if (placement.mode === 'focus') {
    draw();
    const within = [...new Set(sectors.filter((s): s is SectorId => s !== null))].sort(
      (a, b) => a - b,
    );
    const shares = focusShares(placement.needs, within);
    if (shares === null) return chosenCandidate(pick(all, random));
    const u = random();
    let cumulative = 0;
    let sector = within[within.length - 1]!;
    for (const s of within) {
      cumulative += shares.get(s)!;
      if (cumulative > u) {
        sector = s;
        break;
      }
    }
    return chosenCandidate(
      pick(
        all.filter((i) => sectors[i] === sector),
        random,
      ),
    );
  }
  let nearest: PlacedTarget | null = null;
  let nearestDistance = Infinity;
  for (let round = 0; round < SECTOR_ROUNDS; round++) {
    draw();
    const inChosen = all.filter(
      (i) => sectors[i] !== null && placement.sectors.includes(sectors[i]!),
    );
    if (inChosen.length > 0) return chosenCandidate(pick(inChosen, random));
    for (const i of all) {
      const d = distanceToChosen(sectors[i]!, placement.sectors);
      if (nearest === null || d < nearestDistance) {
        nearestDistance = d;
        nearest = { position: positions[i]!, sector: sectors[i]!, outsideChosen: true };
      }
    }
  }
  return nearest!;
}

/** What a placement does now, for the explanation of a change. */
export interface PlacementSummary {
  mode: PlacementMode;
  /** Focus: sectors with a need of at least FOCUS_SECTOR_NEED; sector: the chosen ones. Ascending. */
  sectors: SectorId[];
}

export function summarizePlacement(
  mode: PlacementMode,
  map: PerformanceMapState,
  chosen: readonly SectorId[] = [],
): PlacementSummary {
  if (mode === 'balanced') return { mode, sectors: [] };
  if (mode === 'sector') return { mode, sectors: [...new Set(chosen)].sort((a, b) => a - b) };
  return {
    mode,
    sectors: focusNeeds(map)
      .filter((n) => n.need >= FOCUS_SECTOR_NEED)
      .map((n) => n.sector),
  };
}

const HEIGHT_WORDS: Record<Height, string> = {
  low: 'low',
  shoulder: 'at shoulder height',
  up: 'up',
};
const SIDE_WORDS: Record<Side, string> = {
  across: 'across',
  ahead: 'ahead',
  out: 'out to the side',
};

/**
 * Where a set of sectors is, in words: "up and across" when they share a height and a side,
 * "up" or "across" when they share one, else their names ("up-across, low-out").
 */
export function describeSectors(sectors: readonly SectorId[]): string {
  if (sectors.length === 0) return 'nowhere';
  const heights = new Set(sectors.map(heightOf));
  const sides = new Set(sectors.map(sideOf));
  const height = heights.size === 1 ? [...heights][0]! : null;
  const side = sides.size === 1 ? [...sides][0]! : null;
  if (height !== null && side !== null)
    return height === 'shoulder'
      ? `${SIDE_WORDS[side]} ${HEIGHT_WORDS[height]}`
      : `${HEIGHT_WORDS[height]} and ${SIDE_WORDS[side]}`;
  if (height !== null) return HEIGHT_WORDS[height];
  if (side !== null) return SIDE_WORDS[side];
  return [...new Set(sectors.map(sectorShortName))].join(', ');
}

const percent = (x: number) => `${Math.round(x * 100)} %`;

/**
 * The sentence for a change of placement; null when nothing changed. Focus explains itself by
 * the weighted success there against elsewhere (or by smoothness when success differs by under
 * 5 points): "More targets up and across: 40 % success there against 85 % elsewhere."
 */
export function explainPlacementChange(
  before: PlacementSummary | null,
  after: PlacementSummary,
  map: PerformanceMapState,
): string | null {
  if (
    before !== null &&
    before.mode === after.mode &&
    before.sectors.length === after.sectors.length &&
    before.sectors.every((s, i) => s === after.sectors[i])
  )
    return null;
  if (after.mode === 'balanced')
    return 'Targets spread evenly again (balanced placement), within the level’s spread.';
  if (after.mode === 'sector')
    return after.sectors.length === 0
      ? 'Therapist-chosen sectors: none chosen yet, so targets stay spread as in balanced placement.'
      : `Targets only where the therapist chose: ${describeSectors(after.sectors)} (${after.sectors.length} sector${after.sectors.length === 1 ? '' : 's'}), as far as the level’s spread and the view allow.`;
  if (after.sectors.length === 0)
    return 'Focus placement: no sector stands out yet, so targets stay spread as in balanced placement.';
  const there = pooledStats(map, after.sectors);
  const rest: SectorId[] = [];
  for (let s = 0; s < SECTOR_COUNT; s++) if (!after.sectors.includes(s)) rest.push(s);
  const elsewhere = pooledStats(map, rest);
  const where = describeSectors(after.sectors);
  if (
    there.successRate !== null &&
    elsewhere.successRate !== null &&
    Math.abs(there.successRate - elsewhere.successRate) >= 0.05
  )
    return `More targets ${where}: ${percent(there.successRate)} success there against ${percent(elsewhere.successRate)} elsewhere.`;
  if (there.sparc !== null && elsewhere.sparc !== null)
    return `More targets ${where}: reaches there are less smooth (SPARC ${there.sparc.toFixed(2)} against ${elsewhere.sparc.toFixed(2)} elsewhere).`;
  return `More targets ${where}, where this patient has done less well.`;
}
