import type { GraspPhaseTimes } from '../../../shared/clinical';
import { formatNumber } from '../ui/format';

/** One line for the trial feed: each grasp phase in seconds (a dash where it did not happen). */
export function graspPhasesText(p: GraspPhaseTimes): string {
  const parts = [
    `reach ${formatNumber(p.reachS, 2, 's')}`,
    `grasp ${formatNumber(p.acquireS, 2, 's')}`,
    `carry ${formatNumber(p.transportS, 2, 's')}`,
    `release ${formatNumber(p.releaseS, 2, 's')}`,
  ];
  if (p.drops > 0) parts.push(p.drops === 1 ? 'dropped once' : `dropped ${p.drops} times`);
  return parts.join(' · ');
}
