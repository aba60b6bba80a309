import { useStore } from 'zustand';
import { anchorLabel, EFFORT_SCALE, painPauses } from '../../../shared/clinical/ratings';
import type { StoredSetRating } from '../../../shared/protocol/rating';
import { useServices } from '../services';

/** One set's answer in words: "effort 4.5 (Moderate), pain 2/10", or that it was skipped. */
export function ratingText(r: StoredSetRating): string {
  if (r.skipped) return 'skipped';
  const effort =
    r.effort === null
      ? 'effort not given'
      : `effort ${r.effort} (${anchorLabel(r.effort, EFFORT_SCALE).toLowerCase()})`;
  const pain = r.pain === null ? 'pain not given' : `pain ${r.pain}/10`;
  return `${effort}, ${pain}`;
}

/** The patient's own ratings of this session's sets, as they arrive (newest first). */
export function RatingFeed() {
  const { live } = useServices();
  const ratings = useStore(live, (s) => s.ratings);
  const shown = [...ratings].reverse();
  return (
    <section className="card feed" aria-labelledby="ratings-title">
      <h2 id="ratings-title">Patient&apos;s ratings after each set</h2>
      {shown.length === 0 ? (
        <p className="muted">No set rated yet.</p>
      ) : (
        <ol className="rating-feed" aria-live="polite" data-testid="rating-feed" reversed>
          {shown.map((r) => (
            <li
              key={r.setIndex}
              className={painPauses(r.pain, r.painPauseAt) ? 'miss' : undefined}
              data-set-number={r.setIndex + 1}
            >
              <strong>Set {r.setIndex + 1}</strong> ({r.arm} arm): {ratingText(r)}
              {painPauses(r.pain, r.painPauseAt) && (
                <span className="tag">at or above {r.painPauseAt}: paused</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
