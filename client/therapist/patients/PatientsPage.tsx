import { useState } from 'react';
import { useStore } from 'zustand';
import { RequestStatus } from '../../common/ui/RequestStatus';
import { useServices } from '../services';
import { createResource } from '../state/resource';
import { routeHref } from '../state/route';
import { formatDateTime, formatPercent } from '../ui/format';
import { NewPatientForm } from './NewPatientForm';
import { TrendArrow } from './TrendArrow';

export function PatientsPage() {
  const { api } = useServices();
  const [patients] = useState(() => createResource(() => api.listPatients()));
  const { state, reload } = useStore(patients);
  const [creating, setCreating] = useState(false);

  return (
    <main>
      <div className="page-title">
        <h1>My patients</h1>
        <button type="button" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
          {creating ? 'Close' : 'New patient'}
        </button>
      </div>
      {creating && (
        <NewPatientForm
          onCreated={(patient) => {
            window.location.hash = routeHref({ page: 'patient', patientId: patient.id });
          }}
        />
      )}
      <RequestStatus status={state.status} error={state.error} onRetry={reload} what="patients">
        {state.data?.patients.length === 0 ? (
          <p>No patients yet. Create one with “New patient”.</p>
        ) : (
          <table className="patients">
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Arm</th>
                <th scope="col">Last session</th>
                <th scope="col">This week</th>
                <th scope="col">Success trend</th>
                <th scope="col">Difficulty trend</th>
                <th scope="col">Movement time trend</th>
                <th scope="col">Open</th>
              </tr>
            </thead>
            <tbody>
              {state.data?.patients.map((p) => (
                <tr key={p.id}>
                  <td>
                    <a href={routeHref({ page: 'patient', patientId: p.id })}>{p.label}</a>
                    <div className="muted">{p.code}</div>
                  </td>
                  <td>{p.affectedArm}</td>
                  <td>
                    {formatDateTime(p.lastSession?.startedAt)}
                    {p.lastSession && (
                      <div className="muted">
                        {p.lastSession.summary.trials}{' '}
                        {p.lastSession.summary.trials === 1 ? 'trial' : 'trials'},{' '}
                        {formatPercent(p.lastSession.summary.successRate)}
                      </div>
                    )}
                  </td>
                  <td>{p.sessionsThisWeek}</td>
                  <td>
                    <TrendArrow
                      label="Success"
                      values={p.trend.map((t) => t.successRate)}
                      higherIsBetter
                    />
                  </td>
                  <td>
                    <TrendArrow
                      label="Difficulty"
                      values={p.trend.map((t) => t.levelEnd)}
                      higherIsBetter
                    />
                  </td>
                  <td>
                    <TrendArrow
                      label="Movement time"
                      values={p.trend.map((t) => t.movementTimeMedian)}
                      higherIsBetter={false}
                    />
                  </td>
                  <td>
                    <div className="actions">
                      <a href={routeHref({ page: 'live', patientId: p.id })}>Live</a>
                      <a href={routeHref({ page: 'history', patientId: p.id })}>History</a>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </RequestStatus>
    </main>
  );
}
