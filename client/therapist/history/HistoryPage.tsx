import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { RequestStatus } from '../../common/ui/RequestStatus';
import { UPlotChart } from '../../common/ui/UPlotChart';
import { formatDateTime, formatNumber, formatPercent } from '../patients/format';
import { useServices } from '../services';
import { createResource } from '../state/resource';
import { routeHref } from '../state/route';
import { AuditLog } from './AuditLog';
import { ExportButton } from './ExportButton';
import { hasValues, progressColumns } from './progress-chart-data';
import { ratingColumns } from './rating-chart-data';
import { measurePoints, PROGRESS_MEASURES } from './session-measures';
import type { SessionRecord } from '../../../shared/protocol/http';
import type { StoredSetRating } from '../../../shared/protocol/rating';

function ProgressCharts({ sessions }: { sessions: SessionRecord[] }) {
  const charts = useMemo(
    () =>
      PROGRESS_MEASURES.map((m) => ({
        ...m,
        columns: progressColumns(measurePoints(sessions, m.key)),
      })),
    [sessions],
  );
  return (
    <section className="card" aria-labelledby="progress-title">
      <h2 id="progress-title">Progress across sessions</h2>
      <div className="chart-grid">
        {charts.map((c) =>
          hasValues(c.columns) ? (
            <UPlotChart
              key={c.key}
              title={`${c.title}${c.unit ? ` (${c.unit})` : ''}`}
              data={c.columns}
              series={[{ label: c.title, stroke: '#2f6f9f' }]}
              time
              xLabel="Session"
              yLabel={c.unit}
              yRange={c.key === 'successRate' ? [0, 100] : undefined}
              width={440}
              height={180}
            />
          ) : (
            <p key={c.key} className="muted chart-empty">
              {c.title}: no data yet.
            </p>
          ),
        )}
      </div>
    </section>
  );
}

/** The patient's own effort and pain after each set, across sessions, with the pause threshold. */
function RatingChart({
  ratings,
  patientId,
  patientCode,
}: {
  ratings: StoredSetRating[];
  patientId: string;
  patientCode: string;
}) {
  const columns = useMemo(() => ratingColumns(ratings), [ratings]);
  const paused = ratings.filter((r) => r.pain !== null && r.pain >= r.painPauseAt).length;
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

export function HistoryPage({ patientId }: { patientId: string }) {
  const { api } = useServices();
  const [resource] = useState(() =>
    createResource(async () => {
      const [patient, sessions, ratings] = await Promise.all([
        api.getPatient(patientId),
        api.listSessions(patientId),
        api.listRatings(patientId),
      ]);
      return { patient, sessions: sessions.sessions, ratings: ratings.ratings };
    }),
  );
  const { state, reload } = useStore(resource);
  const patient = state.data?.patient;
  const sessions = state.data?.sessions ?? [];
  const newestFirst = [...sessions].sort((a, b) => b.startedAt.localeCompare(a.startedAt));

  return (
    <main>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a href={routeHref({ page: 'patients' })}>My patients</a> ›{' '}
        <a href={routeHref({ page: 'patient', patientId })}>{patient?.label ?? 'Patient'}</a> ›
        History
      </nav>
      <RequestStatus status={state.status} error={state.error} onRetry={reload} what="the history">
        <div className="page-title">
          <h1>History: {patient?.label}</h1>
          <ExportButton
            label="All sessions (CSV)"
            path={`/api/patients/${encodeURIComponent(patientId)}/sessions.csv`}
            filename={`${patient?.code ?? 'patient'}-sessions.csv`}
            testId="export-sessions-csv"
          />
        </div>
        <section className="card" aria-labelledby="sessions-title">
          <h2 id="sessions-title">Sessions ({sessions.length})</h2>
          {sessions.length === 0 ? (
            <p className="muted">No sessions yet.</p>
          ) : (
            <table className="sessions" data-testid="sessions-table">
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Trials</th>
                  <th scope="col">Success</th>
                  <th scope="col">Level</th>
                  <th scope="col">Ended</th>
                  <th scope="col">Report and exports</th>
                </tr>
              </thead>
              <tbody>
                {newestFirst.map((s) => (
                  <tr key={s.id} data-session-id={s.id} data-ended={s.endedAt !== null}>
                    <td>{formatDateTime(s.startedAt)}</td>
                    <td>{s.mode}</td>
                    <td>{s.summary.trials}</td>
                    <td>{formatPercent(s.summary.successRate)}</td>
                    <td>
                      {formatNumber(s.summary.levelStart, 0)} →{' '}
                      {formatNumber(s.summary.levelEnd, 0)}
                    </td>
                    <td>
                      {s.endedAt
                        ? `${formatDateTime(s.endedAt)} (${s.endReason ?? ''})`
                        : 'not ended'}
                    </td>
                    <td>
                      <div className="actions">
                        <a href={routeHref({ page: 'report', patientId, sessionId: s.id })}>
                          Report
                        </a>
                        <ExportButton
                          label="CSV"
                          path={`/api/sessions/${encodeURIComponent(s.id)}/trials.csv`}
                          filename={`session-${s.id}-trials.csv`}
                          testId={`export-csv-${s.id}`}
                        />
                        <ExportButton
                          label="FHIR"
                          path={`/api/sessions/${encodeURIComponent(s.id)}/fhir`}
                          filename={`session-${s.id}-fhir.json`}
                          testId={`export-fhir-${s.id}`}
                        />
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <ProgressCharts sessions={sessions} />
        <RatingChart
          ratings={state.data?.ratings ?? []}
          patientId={patientId}
          patientCode={patient?.code ?? 'patient'}
        />
        <AuditLog patientId={patientId} />
      </RequestStatus>
    </main>
  );
}
