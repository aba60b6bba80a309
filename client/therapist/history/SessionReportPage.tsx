import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { summarizeSession } from '../../../shared/clinical';
import type { SessionDetail } from '../../../shared/protocol/http';
import { RequestStatus } from '../../common/ui/RequestStatus';
import { formatDateTime, formatNumber, formatPercent } from '../ui/format';
import { useServices } from '../services';
import { createResource } from '../state/resource';
import { routeHref } from '../state/route';
import { ExportButton } from './ExportButton';

const REPORT_METRICS = [
  { key: 'movementTime', label: 'Movement time', unit: 's', digits: 2 },
  { key: 'reactionTime', label: 'Reaction time', unit: 's', digits: 2 },
  { key: 'peakSpeed', label: 'Peak speed', unit: 'm/s', digits: 2 },
  { key: 'pathRatio', label: 'Path ratio', unit: '', digits: 2 },
  { key: 'sparc', label: 'Smoothness (SPARC)', unit: '', digits: 2 },
  { key: 'straightDistance', label: 'Reach distance', unit: 'm', digits: 2 },
  { key: 'trunkRatioPct', label: 'Trunk share of reach', unit: '%', digits: 0 },
] as const;

function Report({ detail, label, code }: { detail: SessionDetail; label: string; code: string }) {
  const { session, trials } = detail;
  const summary = useMemo(() => summarizeSession(trials), [trials]);
  const minutes =
    session.endedAt === null
      ? null
      : (Date.parse(session.endedAt) - Date.parse(session.startedAt)) / 60_000;
  const trunk = trials.filter((t) => t.trunkCompensation).length;
  return (
    <article className="report" data-testid="session-report">
      <header>
        <h1>Session report</h1>
        <p>
          <strong>{label}</strong> ({code}) · {formatDateTime(session.startedAt)} ·{' '}
          {minutes === null ? 'not ended' : `${formatNumber(minutes, 0)} min`} · {session.mode} ·
          ended: {session.endReason ?? '–'}
        </p>
      </header>
      <section>
        <h2>Summary</h2>
        <dl className="report-summary">
          <div>
            <dt>Trials</dt>
            <dd>{summary.trials}</dd>
          </div>
          <div>
            <dt>Success</dt>
            <dd>
              {formatPercent(summary.successRate)} ({summary.hits}{' '}
              {summary.hits === 1 ? 'hit' : 'hits'})
            </dd>
          </div>
          <div>
            <dt>Misses: not reached / too slow</dt>
            <dd>
              {summary.missNotReached} / {summary.missTooSlow}
            </dd>
          </div>
          <div>
            <dt>Difficulty</dt>
            <dd>
              {formatNumber(summary.levelStart, 0)} → {formatNumber(summary.levelEnd, 0)}
            </dd>
          </div>
          <div>
            <dt>Trunk compensation</dt>
            <dd>
              {trunk} of {trials.length} reaches
            </dd>
          </div>
        </dl>
      </section>
      <section>
        <h2>Movement quality (valid trials)</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col">Mean</th>
              <th scope="col">SD</th>
              <th scope="col">Median</th>
              <th scope="col">n</th>
            </tr>
          </thead>
          <tbody>
            {REPORT_METRICS.map((m) => {
              const stats = summary.metrics[m.key];
              return (
                <tr key={m.key}>
                  <th scope="row">
                    {m.label}
                    {m.unit ? ` (${m.unit})` : ''}
                  </th>
                  <td>{formatNumber(stats.mean, m.digits)}</td>
                  <td>{formatNumber(stats.sd, m.digits)}</td>
                  <td>{formatNumber(stats.median, m.digits)}</td>
                  <td>{stats.n}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Trials</h2>
        <table className="report-trials">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Task</th>
              <th scope="col">Arm</th>
              <th scope="col">Outcome</th>
              <th scope="col">MT (s)</th>
              <th scope="col">SPARC</th>
              <th scope="col">Level</th>
            </tr>
          </thead>
          <tbody>
            {trials.map((t) => (
              <tr key={t.id}>
                <td>{t.trialNumber}</td>
                <td>{t.task}</td>
                <td>{t.arm}</td>
                <td>{t.outcome.replaceAll('_', ' ')}</td>
                <td>{formatNumber(t.metrics.movementTime, 2)}</td>
                <td>{formatNumber(t.metrics.sparc, 2)}</td>
                <td>
                  {formatNumber(t.levelBefore, 0)} → {formatNumber(t.levelAfter, 0)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}

export function SessionReportPage({
  patientId,
  sessionId,
}: {
  patientId: string;
  sessionId: string;
}) {
  const { api } = useServices();
  const [resource] = useState(() =>
    createResource(async () => {
      const [patient, detail] = await Promise.all([
        api.getPatient(patientId),
        api.getSession(sessionId),
      ]);
      return { patient, detail };
    }),
  );
  const { state, reload } = useStore(resource);
  return (
    <main>
      <nav className="breadcrumbs no-print" aria-label="Breadcrumbs">
        <a href={routeHref({ page: 'patients' })}>My patients</a> ›{' '}
        <a href={routeHref({ page: 'history', patientId })}>History</a> › Report
      </nav>
      <RequestStatus status={state.status} error={state.error} onRetry={reload} what="the session">
        {state.data && (
          <>
            <div className="row no-print">
              <button type="button" onClick={() => window.print()}>
                Print
              </button>
              <ExportButton
                label="Trials (CSV)"
                path={`/api/sessions/${encodeURIComponent(sessionId)}/trials.csv`}
                filename={`session-${sessionId}-trials.csv`}
                testId="export-csv"
              />
              <ExportButton
                label="FHIR bundle"
                path={`/api/sessions/${encodeURIComponent(sessionId)}/fhir`}
                filename={`session-${sessionId}-fhir.json`}
                testId="export-fhir"
              />
            </div>
            <Report
              detail={state.data.detail}
              label={state.data.patient.label}
              code={state.data.patient.code}
            />
          </>
        )}
      </RequestStatus>
    </main>
  );
}
