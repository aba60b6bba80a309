import { useMemo } from 'react';
import { UPlotChart } from '../../common/ui/UPlotChart';
import { painPauses } from '../../../shared/clinical/ratings';
import type { StoredSetRating } from '../../../shared/protocol/rating';
import { ExportButton } from './ExportButton';
import { hasValues } from './progress-chart-data';
import { ratingColumns } from './rating-chart-data';

/** The patient's own effort and pain after each set, across sessions, with the pause threshold. */
export function RatingChart({
  ratings,
  patientId,
  patientCode,
}: {
  ratings: StoredSetRating[];
  patientId: string;
  patientCode: string;
}) {
  const columns = useMemo(() => ratingColumns(ratings), [ratings]);
  const paused = ratings.filter((r) => painPauses(r.pain, r.painPauseAt)).length;
  return (
    <section className="card" aria-labelledby="ratings-chart-title" data-testid="ratings-chart">
      <div className="page-title">
        <h2 id="ratings-chart-title">Effort and pain after each set</h2>
        <ExportButton
          label="Ratings (CSV)"
          path={`/api/patients/${encodeURIComponent(patientId)}/ratings.csv`}
          filename={`${patientCode}-ratings.csv`}
          testId="export-ratings-csv"
        />
      </div>
      {hasValues(columns) ? (
        <>
          <UPlotChart
            title="Effort (Borg CR10) and pain (0-10) per set"
            data={columns}
            series={[
              { label: 'Effort', stroke: '#2f6f9f' },
              { label: 'Pain', stroke: '#b3261e' },
            ]}
            time
            xLabel="Set rated"
            yLabel="0-10"
            yRange={[0, 10]}
            width={900}
            height={200}
          />
          <p className="muted">
            {ratings.length} sets rated, {ratings.filter((r) => r.skipped).length} skipped; {paused}{' '}
            paused the session for pain at or above its threshold.
          </p>
        </>
      ) : (
        <p className="muted chart-empty">No set rated yet.</p>
      )}
    </section>
  );
}
