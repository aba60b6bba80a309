import { useState } from 'react';
import { useStore } from 'zustand';
import { RequestStatus } from '../../common/ui/RequestStatus';
import { formatDateTime } from '../ui/format';
import { useServices } from '../services';
import { createResource } from '../state/resource';
import { describeAuditEntry } from './audit-text';

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
                <th scope="col">What happened</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.at)}</td>
                  <td title={e.action}>{describeAuditEntry(e, ownId)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </RequestStatus>
    </section>
  );
}
