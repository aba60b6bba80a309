import { z } from 'zod';
import { PLACEMENT_MODES, type Placement, type PlacementMode } from './placement';
import { focusNeeds } from './placement';
import type { PerformanceMapState } from './map';
import { SECTOR_COUNT, type SectorId } from './sectors';

/**
 * Where targets go, as the plan and the therapist's live control say it: the mode, and for
 * `sector` the sectors picked (SectorId, 0-23; duplicates are ignored). The sectors are kept when
 * the mode is not `sector`, so switching back restores the therapist's pick.
 */
export const placementSettingSchema = z
  .object({
    mode: z.enum(PLACEMENT_MODES),
    sectors: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(SECTOR_COUNT - 1),
      )
      .max(SECTOR_COUNT)
      .optional(),
  })
  .strict();
export type PlacementSetting = z.infer<typeof placementSettingSchema>;

export const BALANCED_PLACEMENT: PlacementSetting = Object.freeze({ mode: 'balanced' });

/** The setting's chosen sectors, distinct and ascending. */
export function chosenSectors(setting: PlacementSetting): SectorId[] {
  return [...new Set(setting.sectors ?? [])].sort((a, b) => a - b);
}

/**
 * What placePersonalTarget is given for a setting: focus reads the needs from `map` (balanced
 * without a map); sector mode without any chosen sector places as balanced (what its explanation
 * says).
 */
export function placementFor(
  setting: PlacementSetting,
  map: PerformanceMapState | null,
): Placement {
  const mode: PlacementMode = setting.mode;
  if (mode === 'focus')
    return map === null
      ? { mode: 'balanced' }
      : { mode, needs: focusNeeds(map).map((n) => n.need) };
  if (mode === 'sector') {
    const sectors = chosenSectors(setting);
    return sectors.length === 0 ? { mode: 'balanced' } : { mode, sectors };
  }
  return { mode: 'balanced' };
}
