import { useStore } from 'zustand';
import type { TrialResult } from '../../../shared/protocol/trial';
import { formatNumber } from '../ui/format';
import { taskText } from '../ui/task-text';
import { useServices } from '../services';
import { graspPhasesText } from './grasp-phases-text';
import { flagText } from './flag-text';

const OUTCOME_TEXT: Record<TrialResult['outcome'], string> = {
  hit: 'Hit',
  miss_not_reached: 'Miss: not reached',
  miss_too_slow: 'Miss: too slow',
};

/**
 * Newest first; the reason is the difficulty rule's own sentence for the level change, and a
 * trial placed under a new placement says why targets go where they now go.
 */
const FEED_ROWS = 30;

export function TrialFeed() {
  const { live } = useServices();
  const trials = useStore(live, (s) => s.trials);
  const trialFlags = useStore(live, (s) => s.trialFlags);
  const shown = trials.slice(-FEED_ROWS).reverse();
  return (
    <section className="card feed" aria-labelledby="feed-title">
      <h2 id="feed-title">Trials ({trials.length})</h2>
      {shown.length === 0 ? (
        <p className="muted">No trial finished yet.</p>
      ) : (
        <ol className="trial-feed" aria-live="polite" data-testid="trial-feed" reversed>
          {shown.map((t) => {
            const change = t.levelAfter - t.levelBefore;
            const personal = trialFlags[t.id];
            const unusual = personal !== undefined && personal.flags.length > 0;
            return (
              <li
                key={t.id}
                className={`${t.outcome === 'hit' ? 'hit' : 'miss'}${unusual ? ' unusual' : ''}`}
                data-trial-number={t.trialNumber}
                title={personal?.text}
              >
                <div className="trial-line">
                  <strong>#{t.trialNumber}</strong>{' '}
                  {t.assessment && (
                    <span
                      className="tag test"
                      title="Standard reach test: fixed target, not adapted"
                    >
                      test
                    </span>
                  )}{' '}
                  {taskText(t.task)}, {t.arm} arm,{' '}
                  {t.inputMode === 'hands' ? 'hands' : 'controller'}:{' '}
                  <span className="outcome">{OUTCOME_TEXT[t.outcome]}</span>
                  {' · '}movement {formatNumber(t.metrics.movementTime, 2, 's')}
                  {' · '}SPARC {formatNumber(t.metrics.sparc, 2)}
                  {' · '}level {formatNumber(t.levelBefore, 0)} → {formatNumber(t.levelAfter, 0)} (
                  {change >= 0 ? '+' : ''}
                  {formatNumber(change, 0)})
                  {t.trunkCompensation && <span className="tag">trunk</span>}
                  {t.metrics.flags.map((f) => (
                    <span className="tag" key={f} title={f}>
                      {flagText(f)}
                    </span>
                  ))}
                  {unusual && <span className="tag tag-unusual">unusual for this patient</span>}
                </div>
                {t.graspPhases && (
                  <div className="grasp-phases" data-testid="grasp-phases">
                    {graspPhasesText(t.graspPhases)}
                  </div>
                )}
                {unusual && (
                  <div className="personal-flag" data-testid="trial-unusual">
                    Unusual for this patient: {personal.text}
                  </div>
                )}
                {personal?.fatigue && (
                  <div className="personal-flag" data-testid="trial-fatigue">
                    {personal.fatigue}
                  </div>
                )}
                <div className="muted reason">{t.reason}</div>
                {t.placementReason && (
                  <div className="muted reason placement-reason" data-testid="placement-reason">
                    {t.placementReason}
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
