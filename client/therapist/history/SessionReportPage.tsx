import { useMemo, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import {
  armAsymmetry,
  armsPlayed,
  summarizeByArm,
  type Arm,
  type SessionSummary,
} from '../../../shared/clinical';
import type { SessionDetail } from '../../../shared/protocol/http';
import type { SessionPersonal } from '../../../shared/protocol/flags';
import { RequestStatus } from '../../common/ui/RequestStatus';
import { formatDateTime, formatNumber, formatPercent } from '../ui/format';
import { taskText } from '../ui/task-text';
import { worldText } from '../ui/world-text';
import { useServices } from '../services';
import { createResource } from '../state/resource';
import { routeHref } from '../state/route';
import { armLabel, asymmetryText, asymmetryWhyNot } from './arm-measures';
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

/** A trial of the standard reach test (fixed target, never adapted) or of the plan. */
const trialKind = (assessment: boolean) => (assessment ? 'test' : 'plan');

function Report({
  detail,
  personal,
  label,
  code,
  affectedArm,
}: {
  detail: SessionDetail;
  personal: SessionPersonal;
  label: string;
  code: string;
  affectedArm: Arm;
}) {
  const { session, trials } = detail;
  const byArm = useMemo(() => summarizeByArm(trials), [trials]);
  const arms = armsPlayed(byArm);
  const asymmetry = useMemo(() => armAsymmetry(byArm, affectedArm), [byArm, affectedArm]);
  const minutes =
    session.endedAt === null
      ? null
      : (Date.parse(session.endedAt) - Date.parse(session.startedAt)) / 60_000;
  const trunk = (arm: Arm) => trials.filter((t) => t.arm === arm && t.trunkCompensation).length;
  const armCols = (cell: (arm: Arm, summary: SessionSummary) => ReactNode) =>
    arms.map((arm) => <td key={arm}>{cell(arm, byArm[arm]!)}</td>);
  return (
    <article className="report" data-testid="session-report">
      <header>
        <h1>Session report</h1>
        <p>
          <strong>{label}</strong> ({code}) · {formatDateTime(session.startedAt)} ·{' '}
          {minutes === null ? 'not ended' : `${formatNumber(minutes, 0)} min`} · {session.mode} ·
          world: <span data-testid="report-world">{worldText(session.world)}</span> · ended:{' '}
          {session.endReason ?? '–'} · affected arm: {affectedArm}
        </p>
      </header>
      {arms.length === 0 ? (
        <p className="muted">No trials in this session.</p>
      ) : (
        <>
          <section>
            <h2>Summary per arm</h2>
            <table className="report-arms" data-testid="report-summary">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="sr-only">Measure</span>
                  </th>
                  {arms.map((arm) => (
                    <th scope="col" key={arm} data-arm={arm}>
                      {armLabel(arm, affectedArm)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">Trials</th>
                  {armCols((_, s) => s.trials)}
                </tr>
                <tr>
                  <th scope="row">Success</th>
                  {armCols(
                    (_, s) =>
                      `${formatPercent(s.successRate)} (${s.hits} ${s.hits === 1 ? 'hit' : 'hits'})`,
                  )}
                </tr>
                <tr>
                  <th scope="row">Misses: not reached / too slow</th>
                  {armCols((_, s) => `${s.missNotReached} / ${s.missTooSlow}`)}
                </tr>
                <tr>
                  <th scope="row">Difficulty level (own scale per arm)</th>
                  {armCols(
                    (_, s) => `${formatNumber(s.levelStart, 0)} → ${formatNumber(s.levelEnd, 0)}`,
                  )}
                </tr>
                <tr>
                  <th scope="row">Trunk compensation</th>
                  {armCols((arm, s) => `${trunk(arm)} of ${s.trials} reaches`)}
                </tr>
              </tbody>
            </table>
            <p className="muted note">
              The staircase holds success near its target by design: progress shows in the level and
              the movement measures, not in the success rate.
            </p>
          </section>
          <section>
            <h2>Movement quality (valid trials)</h2>
            <table className="report-arms" data-testid="report-measures">
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  {arms.map((arm) => (
                    <th scope="col" key={arm} data-arm={arm}>
                      {armLabel(arm, affectedArm)}: mean ± SD (n)
                    </th>
                  ))}
                  {asymmetry && (
                    <th scope="col">
                      <abbr title="100 × (affected − other) / (|affected| + |other|), signed so that above 0 means the affected arm does worse">
                        Asymmetry index
                      </abbr>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {REPORT_METRICS.map((m) => (
                  <tr key={m.key} data-measure={m.key}>
                    <th scope="row">
                      {m.label}
                      {m.unit ? ` (${m.unit})` : ''}
                    </th>
                    {armCols((_, s) => {
                      const stats = s.metrics[m.key];
                      return stats.n === 0
                        ? 'no valid trial'
                        : `${formatNumber(stats.mean, m.digits)} ± ${formatNumber(stats.sd, m.digits)} (${stats.n})`;
                    })}
                    {asymmetry && (
                      <td
                        data-testid={`asymmetry-${m.key}`}
                        title={asymmetryWhyNot(asymmetry[m.key])}
                      >
                        {asymmetryText(asymmetry[m.key])}
                        {asymmetry[m.key].value === null && (
                          <span className="muted">
                            {' '}
                            ({asymmetryWhyNot(asymmetry[m.key])!.replace('Not available: ', '')})
                          </span>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
            {asymmetry && (
              <p className="muted note">
                Asymmetry index: the affected arm against the other, per measure; above 0 the
                affected arm does worse, 0 both alike, at most ±100 %. Each arm plays at its own
                difficulty, so compare it across sessions rather than read it alone.
              </p>
            )}
          </section>
        </>
      )}
      <PersonalSection personal={personal} affectedArm={affectedArm} />
      <section>
        <h2>Trials</h2>
        <p className="muted note">
          Kind: <strong>test</strong>, the standard reach test (fixed targets, never adapted, so
          sessions compare); <strong>plan</strong>, the plan’s trials at the adapted level. The
          summary above counts both.
        </p>
        <table className="report-trials">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Kind</th>
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
              <tr key={t.id} data-trial-number={t.trialNumber} data-kind={trialKind(t.assessment)}>
                <td>{t.trialNumber}</td>
                <td>{trialKind(t.assessment)}</td>
                <td>{taskText(t.task)}</td>
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

/**
 * Issue 12 in the report: the session's trials unusual for this patient (against their own
 * recent comparable trials), its fatigue report, and where each measure is heading. Every text
 * is the clinical core's, with the method named; "not enough data" says why, never a number.
 */
function PersonalSection({
  personal,
  affectedArm,
}: {
  personal: SessionPersonal;
  affectedArm: Arm;
}) {
  const arms = [...new Set(personal.trends.map((t) => t.arm))];
  return (
    <section data-testid="report-personal">
      <h2>Against this patient’s own baseline</h2>
      {personal.flags.length === 0 ? (
        <p className="muted" data-testid="report-no-flags">
          No trial of this session was found unusual for this patient as it arrived (each trial is
          compared with their last 50 comparable trials, same task, arm and direction, once 20
          exist: modified z-score of Iglewicz and Hoaglin, flagged beyond 3.5; sessions recorded
          before this check existed were not checked).
        </p>
      ) : (
        <>
          <p className="muted note">
            Each trial is compared with this patient’s last 50 comparable trials (same task, arm and
            direction), once 20 exist: modified z-score of Iglewicz and Hoaglin, flagged beyond 3.5.
          </p>
          <ul data-testid="report-flags">
            {personal.flags.map((f) => (
              <li
                key={f.trialId}
                data-trial-number={f.trialNumber}
                data-kind={trialKind(f.assessment)}
              >
                Trial {f.trialNumber} ({f.assessment ? 'standard reach test, ' : ''}
                {taskText(f.task)}, {f.arm} arm): {f.text}
              </li>
            ))}
          </ul>
        </>
      )}
      <p data-testid="report-fatigue">
        {personal.fatigue ?? 'No sign of fatigue was found during this session.'}
      </p>
      <h2>Where recovery is heading</h2>
      {arms.map((arm) => (
        <div key={arm}>
          {arms.length > 1 && <h3>{armLabel(arm, affectedArm)}</h3>}
          <ul data-testid={`report-trends-${arm}`}>
            {personal.trends
              .filter((t) => t.arm === arm)
              .map((t) => (
                <li key={t.measure} data-measure={t.measure} data-state={t.state}>
                  {t.text}
                </li>
              ))}
          </ul>
        </div>
      ))}
    </section>
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
      const [patient, detail, personal] = await Promise.all([
        api.getPatient(patientId),
        api.getSession(sessionId),
        api.getSessionPersonal(sessionId),
      ]);
      return { patient, detail, personal };
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
              personal={state.data.personal}
              label={state.data.patient.label}
              code={state.data.patient.code}
              affectedArm={state.data.patient.affectedArm}
            />
          </>
        )}
      </RequestStatus>
    </main>
  );
}
