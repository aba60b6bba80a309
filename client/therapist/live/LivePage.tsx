import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { planInForce } from '../../../shared/clinical/plan';
import { RequestStatus } from '../../common/ui/RequestStatus';
import { useServices } from '../services';
import { createResource } from '../state/resource';
import { routeHref } from '../state/route';
import { AlertList } from './AlertList';
import { alertSettings } from './alerts';
import { ControlPanel } from './ControlPanel';
import { LiveCharts } from './LiveCharts';
import { LiveSectorMap } from './LiveSectorMap';
import { Mirror } from './Mirror';
import { RatingFeed } from './RatingFeed';
import { SessionStatusLine } from './SessionStatusLine';
import { TrialFeed } from './TrialFeed';

export function LivePage({ patientId }: { patientId: string }) {
  const { api, live, link } = useServices();
  const [resource] = useState(() => createResource(() => api.getPatient(patientId)));
  const { state, reload } = useStore(resource);
  const watchStatus = useStore(live, (s) => s.watchStatus);
  const watchError = useStore(live, (s) => s.watchError);
  const hasSession = useStore(live, (s) => s.live !== null);
  const choosingWorld = useStore(live, (s) => s.worldMenu !== null);

  useEffect(() => {
    link()?.watch(patientId);
    return () => link()?.unwatch();
  }, [link, patientId]);

  // A change kept for later sessions rewrites the plan: read it again so the page shows it.
  const keptChanges = useStore(
    live,
    (s) =>
      s.control.entries.filter(
        (e) => e.status === 'applied' && e.command.type === 'setDifficulty' && e.command.keep,
      ).length,
  );
  useEffect(() => {
    if (keptChanges === 0) return;
    // Replaced in place (no loading state), so the mirror and charts stay mounted.
    api
      .getPatient(patientId)
      .then((data) => resource.setState({ state: { status: 'ready', data, error: null } }))
      .catch(() => undefined);
  }, [keptChanges, api, patientId, resource]);

  const patient = state.data;
  const plan = patient ? planInForce(patient.plan, patient.affectedArm) : null;
  // The settings the alerts judge against: the arm in play's in force, with this session's live
  // changes (narrow selectors: the page re-renders when these change, not at every scene state).
  const liveArm = useStore(live, (s) => s.live?.state?.arm ?? null);
  const liveDifficulty = useStore(live, (s) => s.live?.state?.difficulty ?? null);
  const controlEntries = useStore(live, (s) => s.control.entries);
  const config = plan ? alertSettings(plan, liveArm, liveDifficulty, controlEntries) : null;

  return (
    <main className="live-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a href={routeHref({ page: 'patients' })}>My patients</a> ›{' '}
        <a href={routeHref({ page: 'patient', patientId })}>{patient?.label ?? 'Patient'}</a> › Live
      </nav>
      <RequestStatus status={state.status} error={state.error} onRetry={reload} what="the patient">
        <h1>Live: {patient?.label}</h1>
        <SessionStatusLine />
        {watchStatus === 'error' && (
          <p role="alert" className="message">
            Cannot watch this patient: {watchError}
          </p>
        )}
        {config && plan && (
          <AlertList
            minLevel={config.minLevel}
            maxLevel={config.maxLevel}
            targetSuccess={config.targetSuccess}
            maxDurationSeconds={plan.maxMinutes * 60}
          />
        )}
        {!hasSession && !choosingWorld && watchStatus === 'watching' && (
          <p className="card">
            No session is running. Start one on the headset; it appears here at once.
          </p>
        )}
        <div className="live-grid">
          <div>
            <Mirror />
            <LiveCharts />
            {plan && (
              <LiveSectorMap
                patientId={patientId}
                planArm={plan.arm === 'left' ? 'left' : 'right'}
              />
            )}
          </div>
          <div>
            {plan && patient && (
              // Never remounted when the plan is read again (after a kept change): the panel
              // follows the new settings itself, and keeps its "Keep" box and typed fields.
              <ControlPanel
                settings={plan.difficulty}
                planArm={plan.arm === 'left' ? 'left' : 'right'}
                planTask={plan.tasks[0]?.task ?? 'touch'}
                planPlacement={plan.placement}
              />
            )}
          </div>
        </div>
        <RatingFeed />
        <TrialFeed />
      </RequestStatus>
    </main>
  );
}
