import { useState } from 'react';
import { useStore } from 'zustand';
import type { Arm } from '../../../shared/clinical';
import { RequestStatus } from '../../common/ui/RequestStatus';
import { formatDateTime, formatNumber, formatPercent } from '../ui/format';
import { worldText } from '../ui/world-text';
import { useServices } from '../services';
import { createResource } from '../state/resource';
import { routeHref } from '../state/route';
import { AuditLog } from './AuditLog';
import { PersonalPanel } from './PersonalPanel';
import { ExportButton } from './ExportButton';
import { armPart, asymmetryText, playedBothArms, sessionAsymmetry } from './arm-measures';
import { levelScaleChanges } from './level-scale-changes';
import { ProgressCharts } from './ProgressCharts';
import { RatingChart } from './RatingChart';
import type { SessionArmSummary, SessionRecord } from '../../../shared/protocol/http';

/** One line per arm that played, e.g. "Right: 60 %"; a dash when no arm did. */
function PerArm({
  session,
  affectedArm,
  show,
}: {
  session: SessionRecord;
  affectedArm: Arm;
  show(part: SessionArmSummary): string;
}) {
  const lines = (['left', 'right'] as const).flatMap((arm) => {
    const part = armPart(session, arm);
    return part === null ? [] : [{ arm, text: show(part) }];
  });
  if (lines.length === 0) return <>–</>;
  return (
    <>
      {lines.map((l) => (
        <div key={l.arm} data-arm={l.arm}>
          <span className={l.arm === affectedArm ? 'arm-name affected' : 'arm-name'}>
            {l.arm === 'left' ? 'L' : 'R'}
          </span>{' '}
          {l.text}
        </div>
      ))}
    </>
  );
}

const ASYMMETRY_COLUMNS = [
  ['movementTime', 'MT'],
  ['sparc', 'SPARC'],
] as const;

export function HistoryPage({ patientId }: { patientId: string }) {
  const { api } = useServices();
  const [resource] = useState(() =>
    createResource(async () => {
      const [patient, sessions, scales, audit, ratings] = await Promise.all([
        api.getPatient(patientId),
        api.listSessions(patientId),
        api.listScales(patientId),
        api.listAudit(patientId),
        api.listRatings(patientId),
      ]);
      return {
        patient,
        sessions: sessions.sessions,
        scales: scales.entries,
        ratings: ratings.ratings,
        levelChanges: levelScaleChanges(audit.entries, patient.affectedArm),
      };
    }),
  );
  const { state, reload } = useStore(resource);
  const patient = state.data?.patient;
  const sessions = state.data?.sessions ?? [];
  const affectedArm = patient?.affectedArm ?? 'right';
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
          <ExportButton
            label="Map (CSV)"
            path={`/api/patients/${encodeURIComponent(patientId)}/map.csv`}
            filename={`${patient?.code ?? 'patient'}-map.csv`}
            testId="export-map-csv"
          />
          <ExportButton
            label="Trends (CSV)"
            path={`/api/patients/${encodeURIComponent(patientId)}/trends.csv`}
            filename={`${patient?.code ?? 'patient'}-trends.csv`}
            testId="export-trends-csv"
          />
          <ExportButton
            label="Alerts (CSV)"
            path={`/api/patients/${encodeURIComponent(patientId)}/alerts.csv`}
            filename={`${patient?.code ?? 'patient'}-alerts.csv`}
            testId="export-alerts-csv"
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
                  <th scope="col">World</th>
                  <th scope="col">Trials</th>
                  <th scope="col">Success</th>
                  <th scope="col">Level</th>
                  <th scope="col">
                    <abbr title="Asymmetry index, affected against the other arm: above 0, the affected arm does worse">
                      Asymmetry
                    </abbr>
                  </th>
                  <th scope="col">Ended</th>
                  <th scope="col">Report and exports</th>
                </tr>
              </thead>
              <tbody>
                {newestFirst.map((s) => (
                  <tr key={s.id} data-session-id={s.id} data-ended={s.endedAt !== null}>
                    <td>{formatDateTime(s.startedAt)}</td>
                    <td>{s.mode}</td>
                    <td data-testid={`world-${s.id}`}>{worldText(s.world)}</td>
                    <td>
                      <PerArm
                        session={s}
                        affectedArm={affectedArm}
                        show={(a) => String(a.trials)}
                      />
                    </td>
                    <td>
                      <PerArm
                        session={s}
                        affectedArm={affectedArm}
                        show={(a) => formatPercent(a.successRate)}
                      />
                    </td>
                    <td>
                      <PerArm
                        session={s}
                        affectedArm={affectedArm}
                        show={(a) =>
                          `${formatNumber(a.levelStart, 0)} → ${formatNumber(a.levelEnd, 0)}`
                        }
                      />
                    </td>
                    <td data-testid={`asymmetry-${s.id}`}>
                      {playedBothArms(s)
                        ? ASYMMETRY_COLUMNS.map(([key, label]) => (
                            <div key={key}>
                              {label} {asymmetryText(sessionAsymmetry(s, affectedArm, key))}
                            </div>
                          ))
                        : '–'}
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
          {sessions.length > 0 && (
            <p className="muted note">
              L, R: left and right arm, each on its own (the affected arm underlined). Levels are on
              each arm&apos;s own scale. Asymmetry: affected against the other arm, for sessions
              that played both; above 0 the affected arm does worse.
            </p>
          )}
        </section>
        {patient && state.data && (
          <ProgressCharts
            patient={patient}
            sessions={sessions}
            scales={state.data.scales}
            levelChanges={state.data.levelChanges}
          />
        )}
        {patient && state.status === 'ready' && (
          <PersonalPanel
            key={sessions.map((s) => s.id).join()}
            patient={patient}
            sessions={sessions}
          />
        )}
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
