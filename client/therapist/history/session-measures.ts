import type { ReachMetricKey } from '../../../shared/clinical';
import type { SessionRecord } from '../../../shared/protocol/http';
import type { SessionPoint } from './progress-chart-data';

export type ProgressMeasure =
  'successRate' | 'movementTime' | 'pathRatio' | 'sparc' | 'reachWorkspace' | 'activeMinutes';

const metricMean = (session: SessionRecord, key: ReachMetricKey): number | null =>
  session.clinical?.metrics[key].mean ?? null;

/** One measure of one session; null when the session does not hold it. */
export function sessionMeasure(session: SessionRecord, measure: ProgressMeasure): number | null {
  switch (measure) {
    case 'successRate':
      return session.summary.successRate === null ? null : session.summary.successRate * 100;
    case 'movementTime':
      return metricMean(session, 'movementTime');
    case 'pathRatio':
      return metricMean(session, 'pathRatio');
    case 'sparc':
      return metricMean(session, 'sparc');
    case 'reachWorkspace':
      return session.summary.reachWorkspace;
    case 'activeMinutes':
      return session.summary.activeMinutes;
  }
}

export const measurePoints = (
  sessions: readonly SessionRecord[],
  measure: ProgressMeasure,
): SessionPoint[] =>
  sessions.map((s) => ({ startedAt: s.startedAt, value: sessionMeasure(s, measure) }));
