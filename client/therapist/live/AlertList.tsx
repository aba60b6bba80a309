import { useEffect, useState } from 'react';
import { useServices } from '../services';
import { evaluateAlerts, type Alert } from './alerts';

const CHECK_EVERY_MS = 500;

interface Props {
  minLevel: number;
  maxLevel: number;
  targetSuccess: number;
  maxDurationSeconds: number | null;
}

/** Re-evaluates the alert rules twice a second; renders only when the set of alerts changes. */
export function AlertList({ minLevel, maxLevel, targetSuccess, maxDurationSeconds }: Props) {
  const { live, ring } = useServices();
  const [alerts, setAlerts] = useState<Alert[]>([]);

  useEffect(() => {
    const check = () => {
      const s = live.getState();
      const next = evaluateAlerts({
        live: s.live,
        trials: s.trials,
        ratings: s.ratings,
        minLevel,
        maxLevel,
        targetSuccess,
        lastPoseAtMs: Number.isFinite(ring.lastReceivedAt) ? ring.lastReceivedAt : null,
        watchingSinceMs: s.watchingSinceMs,
        nowMs: performance.now(),
        maxDurationSeconds,
        personal: s.personalAlerts,
      });
      setAlerts((previous) =>
        previous.length === next.length && previous.every((a, i) => a.message === next[i]!.message)
          ? previous
          : next,
      );
    };
    check();
    const timer = window.setInterval(check, CHECK_EVERY_MS);
    return () => window.clearInterval(timer);
  }, [live, ring, minLevel, maxLevel, targetSuccess, maxDurationSeconds]);

  return (
    <div className="alerts" role="alert" aria-live="assertive" data-testid="alerts">
      {alerts.map((a) => (
        <p key={a.id} className={`alert alert-${a.severity}`} data-testid={`alert-${a.id}`}>
          <strong>{a.severity === 'critical' ? 'Attention: ' : 'Note: '}</strong>
          {a.message}
        </p>
      ))}
    </div>
  );
}
