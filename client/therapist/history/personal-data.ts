import {
  AZIMUTH_BINS,
  buildPerformanceMap,
  ELEVATION_BINS,
  performanceMap,
  personalTrial,
  pooledStats,
  personalTrends,
  sectorId,
  type Arm,
  type PersonalTrial,
  type SectorStats,
  type TrendReport,
} from '../../../shared/clinical';
import type { Calibration, TrialResult } from '../../../shared/protocol';
import type { SessionRecord } from '../../../shared/protocol/http';

/** A session with its trials, as GET /api/sessions/:id answers. */
export interface SessionWithTrials {
  session: SessionRecord;
  trials: TrialResult[];
}

export interface PersonalPanelData {
  arm: Arm;
  /** Arms with at least one trial, for the arm switch. */
  arms: Arm[];
  /** All sessions, older ones weighing less (half-life 5 sessions). */
  overWeeks: SectorStats[];
  /** The latest session alone. */
  lastSession: SectorStats[];
  /** Per azimuth bin, the three heights pooled: the map seen from above. */
  overWeeksFromAbove: SectorStats[];
  lastSessionFromAbove: SectorStats[];
  /** Trials of this arm without a sector (no calibration, bad target). */
  unmapped: number;
  trends: TrendReport[];
}

export function fromAbove(map: ReturnType<typeof buildPerformanceMap>): SectorStats[] {
  const out: SectorStats[] = [];
  for (let a = 0; a < AZIMUTH_BINS; a++) {
    const column: number[] = [];
    for (let e = 0; e < ELEVATION_BINS; e++) column.push(sectorId(a, e));
    out.push({ ...pooledStats(map, column), sector: a });
  }
  return out;
}

/**
 * Everything the personal panel draws, from the patient's calibration and sessions (any order):
 * sessions oldest first, a session's trials by number; sectors from each trial's target and the
 * arm's calibration.
 */
export function personalPanelData(
  calibration: Calibration,
  sessions: readonly SessionWithTrials[],
  preferredArm: Arm,
): PersonalPanelData {
  const ordered = [...sessions].sort((a, b) =>
    a.session.startedAt.localeCompare(b.session.startedAt),
  );
  const perSession: PersonalTrial[][] = ordered.map((s) =>
    [...s.trials]
      .sort((a, b) => a.trialNumber - b.trialNumber)
      .map((t) => personalTrial(t, calibration[t.arm])),
  );
  const all = perSession.flat();
  const arms = (['right', 'left'] as const).filter((arm) => all.some((t) => t.arm === arm));
  const arm = arms.includes(preferredArm) || arms.length === 0 ? preferredArm : arms[0]!;
  const map = buildPerformanceMap(all, arm);
  const lastTrials = [...perSession].reverse().find((ts) => ts.some((t) => t.arm === arm)) ?? [];
  const last = buildPerformanceMap(lastTrials, arm);

  return {
    arm,
    arms,
    overWeeks: performanceMap(map),
    lastSession: performanceMap(last),
    overWeeksFromAbove: fromAbove(map),
    lastSessionFromAbove: fromAbove(last),
    unmapped: map.unmapped,
    trends: personalTrends(
      ordered.map((s, i) => ({
        startedAt: s.session.startedAt,
        levelEnd: s.session.summary.levelEnd,
        reachWorkspace: s.session.summary.reachWorkspace,
        trials: perSession[i]!,
      })),
      arm,
    ),
  };
}
