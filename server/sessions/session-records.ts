import { summarizeSession, type SummaryTrial } from '../../shared/clinical';
import type { Calibration, TrialResult } from '../../shared/protocol';
import type { SessionArmSummary, SessionRecord } from '../../shared/protocol/http';
import type { SessionRepository, SessionRow } from './repository';
import { calibrationOrNone } from '../patients/stored-calibration';
import { activeMinutes, reachWorkspace } from './session-measures';

/** The wire metrics carry the core's metrics plus flags and spec version; the summary reads the former. */
export const toSummaryTrial = (t: TrialResult): SummaryTrial => ({
  outcome: t.outcome,
  levelBefore: t.levelBefore,
  levelAfter: t.levelAfter,
  metrics: t.metrics,
});

function armSummary(
  trials: TrialResult[],
  calibration: Calibration | null,
  arm: 'left' | 'right',
): SessionArmSummary | null {
  const own = trials.filter((t) => t.arm === arm);
  if (own.length === 0) return null;
  const clinical = summarizeSession(own.map(toSummaryTrial));
  return {
    trials: clinical.trials,
    hits: clinical.hits,
    successRate: clinical.successRate,
    levelStart: clinical.levelStart,
    levelEnd: clinical.levelEnd,
    activeMinutes: activeMinutes(own),
    reachWorkspace: reachWorkspace(calibration, [arm]),
    clinical,
  };
}

export function toSessionRecord(row: SessionRow, trials: TrialResult[]): SessionRecord {
  const clinical = summarizeSession(trials.map(toSummaryTrial));
  const arms = [...new Set(trials.map((t) => t.arm))];
  const calibration = calibrationOrNone(row.calibration_json);
  return {
    id: row.id,
    patientId: row.patient_id,
    mode: row.mode as SessionRecord['mode'],
    startedAt: row.started_at,
    endedAt: row.ended_at,
    endReason: row.end_reason,
    world: (row.world as SessionRecord['world']) ?? null,
    summary: {
      trials: clinical.trials,
      hits: clinical.hits,
      successRate: clinical.successRate,
      levelStart: clinical.levelStart,
      levelEnd: clinical.levelEnd,
      activeMinutes: activeMinutes(trials),
      reachWorkspace: reachWorkspace(calibration, arms),
    },
    clinical,
    arms: {
      left: armSummary(trials, calibration, 'left'),
      right: armSummary(trials, calibration, 'right'),
    },
  };
}

/** Session rows with their trials (without samples), grouped per session in trial order. */
export async function loadSessionsWithTrials(
  sessions: Pick<SessionRepository, 'listTrialResults'>,
  rows: SessionRow[],
): Promise<{ row: SessionRow; trials: TrialResult[] }[]> {
  return withTrials(rows, await sessions.listTrialResults(rows.map((r) => r.id)));
}

/** Each session row with its trials out of `trials` (which keeps each session's in order). */
export function withTrials(
  rows: SessionRow[],
  trials: TrialResult[],
): { row: SessionRow; trials: TrialResult[] }[] {
  const bySession = new Map<string, TrialResult[]>();
  for (const t of trials) {
    const list = bySession.get(t.sessionId);
    if (list === undefined) bySession.set(t.sessionId, [t]);
    else list.push(t);
  }
  return rows.map((row) => ({ row, trials: bySession.get(row.id) ?? [] }));
}
