import { useState } from 'react';
import { useStore } from 'zustand';
import { RequestStatus } from '../../common/ui/RequestStatus';
import { formatDateTime } from '../patients/format';
import { useServices } from '../services';
import { createResource } from '../state/resource';

/** Values are shown as JSON text: they are untrusted and never interpreted as markup. */
const describeValue = (value: unknown): string =>
  value === null || value === undefined ? '' : JSON.stringify(value).slice(0, 200);

export function AuditLog({ patientId }: { patientId: string }) {
  const { api, auth } = useServices();
  const ownId = useStore(auth, (s) => s.therapistId);
  const [resource] = useState(() => createResource(() => api.listAudit(patientId)));
  const { state, reload } = useStore(resource);
  const entries = state.data?.entries ?? [];
  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <RequestStatus
        status={state.status}
        error={state.error}
        onRetry={reload}
        what="the audit log"
      >
        {entries.length === 0 ? (
          <p className="muted">No entries.</p>
        ) : (
          <table className="audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>
                    {e.actorKind === 'therapist' && e.actorId === ownId ? 'you' : e.actorKind}
                  </td>
                  <td>{e.action}</td>
                  <td className="mono">
                    {describeValue(e.oldValue)}
                    {e.oldValue !== null && e.oldValue !== undefined ? ' → ' : ''}
                    {describeValue(e.newValue)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </RequestStatus>
    </section>
  );
}
