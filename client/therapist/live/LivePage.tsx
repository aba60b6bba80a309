import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import {
  resolveDifficultyConfig,
  type DifficultyConfig,
} from '../../../shared/clinical/difficulty';
import type { PatientRecord } from '../../../shared/protocol/http';
import { RequestStatus } from '../../common/ui/RequestStatus';
import { planForEditing } from '../patients/plan-form';
import { useServices } from '../services';
import { createResource } from '../state/resource';
import { routeHref } from '../state/route';
import { AlertList } from './AlertList';
import { ControlPanel } from './ControlPanel';
import { LiveCharts } from './LiveCharts';
import { Mirror } from './Mirror';
import { SessionStatusLine } from './SessionStatusLine';
import { TrialFeed } from './TrialFeed';

/** The difficulty in force for the patient: the plan's, with the stored per-arm changes on top. */
function difficultyInForce(patient: PatientRecord): DifficultyConfig {
  const plan = planForEditing(patient.plan);
  const changes = patient.difficulty[plan.arm === 'left' ? 'left' : 'right']?.config ?? {};
  try {
    return resolveDifficultyConfig({ ...plan.difficulty, ...changes });
  } catch {
    return plan.difficulty;
  }
}

export function LivePage({ patientId }: { patientId: string }) {
  const { api, live, link } = useServices();
  const [resource] = useState(() => createResource(() => api.getPatient(patientId)));
  const { state, reload } = useStore(resource);
  const watchStatus = useStore(live, (s) => s.watchStatus);
  const watchError = useStore(live, (s) => s.watchError);
  const hasSession = useStore(live, (s) => s.live !== null);

  useEffect(() => {
    link()?.watch(patientId);
    return () => link()?.unwatch();
  }, [link, patientId]);

  const patient = state.data;
  const plan = patient ? planForEditing(patient.plan) : null;
  const config = patient ? difficultyInForce(patient) : null;

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
            maxDurationSeconds={plan.maxMinutes * 60}
          />
        )}
        {!hasSession && watchStatus === 'watching' && (
          <p className="card">
            No session is running. Start one on the headset; it appears here at once.
          </p>
        )}
        <div className="live-grid">
          <div>
            <Mirror />
            <LiveCharts />
          </div>
          <div>{config && <ControlPanel initial={config} />}</div>
        </div>
        <TrialFeed />
      </RequestStatus>
    </main>
  );
}
