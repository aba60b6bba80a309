import type { Workspace } from '../../protocol';
import type { Vec3 } from '../types';
import { toArmAxes, type ArmAxes } from '../../game/frame';

/**
 * Sectors of the workspace in the arm's frame (origin the shoulder; azimuth from straight ahead,
 * positive outward toward the trained arm's side, negative across the body; elevation from the
 * horizontal, positive up). The comfortable view (shared/game/view.ts) keeps targets within about
 * 40° across to 30° outward and 20° below to 40° above the shoulder, so the bins are 10° wide in
 * azimuth there (the outer two open-ended) and split elevation at 0° and 20°.
 */
export const AZIMUTH_EDGES_DEG: readonly number[] = [-30, -20, -10, 0, 10, 20, 30];
export const ELEVATION_EDGES_DEG: readonly number[] = [0, 20];
export const AZIMUTH_BINS = AZIMUTH_EDGES_DEG.length + 1;
export const ELEVATION_BINS = ELEVATION_EDGES_DEG.length + 1;
export const SECTOR_COUNT = AZIMUTH_BINS * ELEVATION_BINS;

/** A sector's number: elevation bin x 8 + azimuth bin (0 = far across, 7 = far out; 0 = low). */
export type SectorId = number;

export interface Direction {
  azimuthDeg: number;
  elevationDeg: number;
}

const DEG = Math.PI / 180;

/** Bin of `value` against ascending `edges`: a value on an edge belongs to the bin above it. */
function binOf(value: number, edges: readonly number[]): number {
  let bin = 0;
  while (bin < edges.length && value >= edges[bin]!) bin++;
  return bin;
}

export const sectorId = (azimuthBin: number, elevationBin: number): SectorId =>
  elevationBin * AZIMUTH_BINS + azimuthBin;
export const azimuthBinOf = (sector: SectorId) => sector % AZIMUTH_BINS;
export const elevationBinOf = (sector: SectorId) => Math.floor(sector / AZIMUTH_BINS);

export function sectorOfDirection(direction: Direction): SectorId {
  return sectorId(
    binOf(direction.azimuthDeg, AZIMUTH_EDGES_DEG),
    binOf(direction.elevationDeg, ELEVATION_EDGES_DEG),
  );
}

const scratchAxes: ArmAxes = { outward: 0, up: 0, forward: 0 };

/** Direction of `point` (play space) from the workspace's shoulder, in the arm's frame; null at the shoulder. */
export function directionOf(ws: Workspace, point: Vec3): Direction | null {
  const a = toArmAxes(
    ws.arm,
    [point[0] - ws.shoulder[0], point[1] - ws.shoulder[1], point[2] - ws.shoulder[2]],
    scratchAxes,
  );
  const horizontal = Math.hypot(a.outward, a.forward);
  if (!Number.isFinite(horizontal + a.up) || horizontal + Math.abs(a.up) === 0) return null;
  return {
    azimuthDeg: Math.atan2(a.outward, a.forward) / DEG,
    elevationDeg: Math.atan2(a.up, horizontal) / DEG,
  };
}

/** The sector of a target at `point`; null when its direction is undefined (bad input). */
export function sectorOf(ws: Workspace, point: Vec3): SectorId | null {
  const d = directionOf(ws, point);
  return d === null ? null : sectorOfDirection(d);
}

export const isSectorId = (value: unknown): value is SectorId =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < SECTOR_COUNT;

/** Plain words for where a sector is, grouped as a clinician would say it. */
export type Side = 'across' | 'ahead' | 'out';
export type Height = 'low' | 'shoulder' | 'up';

/** Azimuth bins 0-2 (more than 10° across) are "across", 3-4 "ahead", 5-7 (10° or more out) "out". */
export const sideOf = (sector: SectorId): Side => {
  const bin = azimuthBinOf(sector);
  return bin <= 2 ? 'across' : bin <= 4 ? 'ahead' : 'out';
};
export const heightOf = (sector: SectorId): Height =>
  (['low', 'shoulder', 'up'] as const)[elevationBinOf(sector)]!;

const HEIGHT_WORDS: Record<Height, string> = {
  low: 'low',
  shoulder: 'shoulder height',
  up: 'up',
};
const SIDE_WORDS: Record<Side, string> = { across: 'across', ahead: 'ahead', out: 'out' };

/** Range of a bin as text: "-30 to -20°", "beyond 30°", "below -30°". */
function binRange(bin: number, edges: readonly number[]): string {
  if (bin === 0) return `below ${edges[0]}°`;
  if (bin === edges.length) return `${edges[edges.length - 1]}° and beyond`;
  return `${edges[bin - 1]} to ${edges[bin]}°`;
}

/** "up-across (azimuth -30 to -20°, elevation 20° and beyond)": unique per sector. */
export function sectorLabel(sector: SectorId): string {
  return `${sectorShortName(sector)} (azimuth ${binRange(azimuthBinOf(sector), AZIMUTH_EDGES_DEG)}, elevation ${binRange(elevationBinOf(sector), ELEVATION_EDGES_DEG)})`;
}

/** "up-across", "low-ahead", "across" (at shoulder height): the words used in explanations. */
export function sectorShortName(sector: SectorId): string {
  const height = heightOf(sector);
  const side = SIDE_WORDS[sideOf(sector)];
  return height === 'shoulder' ? side : `${HEIGHT_WORDS[height]}-${side}`;
}

/** Centre direction of a sector (open-ended bins: 5° beyond their edge). */
export function sectorCentre(sector: SectorId): Direction {
  const centre = (bin: number, edges: readonly number[]) =>
    bin === 0
      ? edges[0]! - 5
      : bin === edges.length
        ? edges[edges.length - 1]! + 5
        : (edges[bin - 1]! + edges[bin]!) / 2;
  return {
    azimuthDeg: centre(azimuthBinOf(sector), AZIMUTH_EDGES_DEG),
    elevationDeg: centre(elevationBinOf(sector), ELEVATION_EDGES_DEG),
  };
}
