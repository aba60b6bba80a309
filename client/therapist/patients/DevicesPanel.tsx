import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { RequestStatus } from '../../common/ui/RequestStatus';
import { useServices } from '../services';
import { createResource } from '../state/resource';
import { deviceName, formatDateTime } from '../ui/format';

export function DevicesPanel({ patientId }: { patientId: string }) {
  const services = useServices();
  const { api } = services;
  const [resource] = useState(() => createResource(() => api.listDevices(patientId)));
  const { state, reload } = useStore(resource);

  // A headset paired with this patient's code appears at once.
  useEffect(
    () =>
      services.link()?.onPairingUsed((used) => {
        if (used.patientId === patientId) void resource.getState().reload();
      }),
    [services, resource, patientId],
  );
  const [error, setError] = useState<string | null>(null);

  const revoke = async (deviceId: string) => {
    setError(null);
    try {
      await api.revokeDevice(deviceId);
      await reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const active = state.data?.devices.filter((d) => d.revokedAt === null) ?? [];
  return (
    <section className="card" aria-labelledby="devices-title">
      <h2 id="devices-title">Paired headsets</h2>
      <button type="button" onClick={() => void reload()}>
        Refresh
      </button>
      <RequestStatus status={state.status} error={state.error} onRetry={reload} what="headsets">
        {active.length === 0 ? (
          <p className="muted">No headset paired.</p>
        ) : (
          <ul>
            {active.map((d) => (
              <li key={d.id} data-device-id={d.id}>
                {deviceName(d.id)}: paired {formatDateTime(d.createdAt)}, last seen{' '}
                {formatDateTime(d.lastSeenAt)}{' '}
                <button type="button" onClick={() => void revoke(d.id)}>
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        )}
      </RequestStatus>
      {error && (
        <p role="alert" className="message">
          {error}
        </p>
      )}
    </section>
  );
}
