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
  // And one paired while the socket was away appears when it is back.
  useEffect(
    () => services.link()?.onConnected(() => void resource.getState().reload()),
    [services, resource],
  );
  const [error, setError] = useState<string | null>(null);

  const revoke = async (deviceId: string) => {
    setError(null);
    try {
      // Asked about what the headset does now, not when the list was loaded.
      const { devices } = await api.listDevices(patientId);
      const playing = devices.find((d) => d.id === deviceId)?.openSessionId ?? null;
      if (!window.confirm(unpairQuestion(deviceId, playing !== null))) return;
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

/** What unpairing does, said before it is done: mid-session it also ends the session. */
export function unpairQuestion(deviceId: string, playsSession: boolean): string {
  const name = deviceName(deviceId);
  const subject = name.charAt(0).toUpperCase() + name.slice(1);
  return playsSession
    ? `${subject} is playing a session now. Revoking it ends that session at once (recorded as ` +
        `ended by the therapist); trials the headset has not sent yet are lost. The headset ` +
        `needs a new pairing code to play again. Revoke it?`
    : `Revoke ${name}? It needs a new pairing code to play again.`;
}
