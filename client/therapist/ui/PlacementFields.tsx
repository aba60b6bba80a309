import {
  AZIMUTH_BINS,
  AZIMUTH_EDGES_DEG,
  chosenSectors,
  describeSectors,
  ELEVATION_BINS,
  heightOf,
  sectorId,
  sectorLabel,
  sideOf,
  type PlacementSetting,
  type SectorId,
} from '../../../shared/clinical/personal';
import type { Arm } from '../../../shared/protocol/primitives';

const MODE_TEXT: Record<PlacementSetting['mode'], string> = {
  balanced: 'Balanced: spread evenly',
  focus: 'Focus: more where the patient does less well',
  sector: 'Sectors: only where I choose',
};

/**
 * The placement a session plays under, in words: the mode's own label, and in sector mode the
 * sectors chosen ("Sectors: only where I choose: up and across").
 */
export function placementText(setting: PlacementSetting): string {
  if (setting.mode !== 'sector') return MODE_TEXT[setting.mode];
  const sectors = chosenSectors(setting);
  return sectors.length === 0
    ? `${MODE_TEXT.sector}: none ticked, so targets stay spread evenly`
    : `${MODE_TEXT.sector}: ${describeSectors(sectors)}`;
}

/** Columns as the patient sees them (left to right), rows from up to low: the map's front view. */
const columnOrder = (arm: Arm) =>
  Array.from({ length: AZIMUTH_BINS }, (_, i) => (arm === 'right' ? i : AZIMUTH_BINS - 1 - i));

const SIDE_TEXT = { across: 'across the body', ahead: 'ahead', out: 'out to the side' } as const;
const HEIGHT_TEXT = {
  up: 'up (above 20°)',
  shoulder: 'shoulder height (0-20°)',
  low: 'low (below the shoulder)',
} as const;

/** A column's angle from straight ahead (from the shoulder): how far across the body or out. */
function azimuthText(bin: number): string {
  const edges = AZIMUTH_EDGES_DEG;
  if (bin === 0) return `over ${-edges[0]!}° across`;
  if (bin === edges.length) return `over ${edges[edges.length - 1]!}° out`;
  const [from, to] = [edges[bin - 1]!, edges[bin]!];
  return to <= 0 ? `${-to}-${-from}° across` : `${from}-${to}° out`;
}

/** The column groups (across, ahead, out) in the order shown, with how many columns each spans. */
function sideGroups(order: number[]): { side: keyof typeof SIDE_TEXT; span: number }[] {
  const groups: { side: keyof typeof SIDE_TEXT; span: number }[] = [];
  for (const azimuth of order) {
    const side = sideOf(sectorId(azimuth, 0));
    const last = groups.at(-1);
    if (last?.side === side) last.span++;
    else groups.push({ side, span: 1 });
  }
  return groups;
}

/**
 * Where targets go: the mode, and in sector mode a grid of the 24 sectors as seen from the front
 * (for `arm`) to tick. The ticked sectors are kept while another mode is chosen.
 */
export function PlacementFields({
  value,
  onChange,
  arm,
  testId,
}: {
  value: PlacementSetting;
  onChange(next: PlacementSetting): void;
  arm: Arm;
  testId: string;
}) {
  const chosen = new Set(value.sectors ?? []);
  const toggle = (sector: SectorId, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(sector);
    else next.delete(sector);
    onChange({ ...value, sectors: [...next].sort((a, b) => a - b) });
  };
  return (
    <div className="placement-fields">
      <label>
        Target placement
        <select
          data-testid={`${testId}-mode`}
          value={value.mode}
          onChange={(e) => onChange({ ...value, mode: e.target.value as PlacementSetting['mode'] })}
        >
          {(Object.keys(MODE_TEXT) as PlacementSetting['mode'][]).map((mode) => (
            <option key={mode} value={mode}>
              {MODE_TEXT[mode]}
            </option>
          ))}
        </select>
      </label>
      {value.mode === 'sector' && (
        <table className="sector-picker" data-testid={`${testId}-sectors`}>
          <caption className="muted">
            Tick where targets may go: the {arm} arm&apos;s reach, as the patient faces you
            {chosen.size === 0 && ' (none ticked, so targets stay spread evenly)'}
          </caption>
          <thead>
            <tr>
              <td />
              {sideGroups(columnOrder(arm)).map(({ side, span }) => (
                <th key={side} scope="colgroup" colSpan={span}>
                  {SIDE_TEXT[side]}
                </th>
              ))}
            </tr>
            <tr>
              <td />
              {columnOrder(arm).map((azimuth) => (
                <th key={azimuth} scope="col" className="sector-angle">
                  {azimuthText(azimuth)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: ELEVATION_BINS }, (_, row) => ELEVATION_BINS - 1 - row).map(
              (elevation) => (
                <tr key={elevation}>
                  <th scope="row">{HEIGHT_TEXT[heightOf(sectorId(0, elevation))]}</th>
                  {columnOrder(arm).map((azimuth) => {
                    const sector = sectorId(azimuth, elevation);
                    return (
                      <td key={sector} title={sectorLabel(sector)}>
                        <input
                          type="checkbox"
                          data-sector={sector}
                          aria-label={sectorLabel(sector)}
                          checked={chosen.has(sector)}
                          onChange={(e) => toggle(sector, e.target.checked)}
                        />
                      </td>
                    );
                  })}
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}
