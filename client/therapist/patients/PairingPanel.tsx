import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { PairingUsed } from '../live/live-link';
import { useServices } from '../services';
import { deviceName, formatDateTime } from '../ui/format';

interface Pairing {
  code: string;
  issuedAt: string;
  expiresAt: string;
  url: string;
  qr: string | null;
}

/** The patient page's address with the one-time code, as the QR code and the link carry it. */
export const pairingUrl = (origin: string, code: string): string =>
  `${origin}/?code=${encodeURIComponent(code)}`;

export function PairingPanel({ patientId }: { patientId: string }) {
  const services = useServices();
  const { api } = services;
  const [pairing, setPairing] = useState<Pairing | null>(null);
  /** The server said the shown code paired a headset: it is spent, whatever time is left. */
  const [used, setUsed] = useState<PairingUsed | null>(null);
  /** Wrong codes tried from anywhere killed the shown code (server/devices/routes.ts). */
  const [voided, setVoided] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (pairing === null || used !== null || voided) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [pairing, used, voided]);

  // A new code expires the patient's older ones, so a pairing for this patient used the shown code.
  useEffect(() => {
    if (pairing === null) return;
    return services.link()?.onPairingUsed((answer) => {
      if (answer.patientId === patientId) setUsed(answer);
    });
  }, [services, pairing, patientId]);

  useEffect(() => {
    if (pairing === null) return;
    return services.link()?.onPairingVoided((answer) => {
      if (answer.patientId === patientId) setVoided(true);
    });
  }, [services, pairing, patientId]);

  // Back from a dropped socket: the code may have been used or voided while no event could come.
  useEffect(() => {
    if (pairing === null || used !== null || voided) return;
    return services.link()?.onConnected(() => {
      api.pairingStatus(patientId).then(
        ({ latest }) => {
          // A newer code (another tab) replaced the shown one: nothing to say about this one.
          if (latest === null || latest.issuedAt !== pairing.issuedAt) return;
          if (latest.state === 'used' && latest.deviceId !== null && latest.pairedAt !== null)
            setUsed({ patientId, deviceId: latest.deviceId, pairedAt: latest.pairedAt });
          if (latest.state === 'voided') setVoided(true);
        },
        // The next reconnect asks again; meanwhile the countdown stands.
        () => undefined,
      );
    });
  }, [services, api, pairing, used, voided, patientId]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.createPairingCode(patientId);
      const url = pairingUrl(window.location.origin, answer.code);
      // Rendered locally: the code must never reach a third-party QR service.
      const qr = await QRCode.toDataURL(url, { margin: 1, width: 220 }).catch(() => null);
      setPairing({ ...answer, url, qr });
      setUsed(null);
      setVoided(false);
      setNow(Date.now());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const secondsLeft = pairing
    ? Math.max(0, Math.round((Date.parse(pairing.expiresAt) - now) / 1000))
    : 0;

  return (
    <section className="card" aria-labelledby="pairing-title">
      <h2 id="pairing-title">Pair a headset</h2>
      <p>
        Open the Reach page in the headset’s browser and enter the code, or scan the QR code with
        the headset.
      </p>
      <button type="button" onClick={() => void start()} disabled={busy}>
        {busy ? 'Creating code…' : pairing ? 'New code' : 'Show pairing code'}
      </button>
      {error && (
        <p role="alert" className="message">
          Could not create a pairing code: {error}
        </p>
      )}
      {pairing && (
        <div className="pairing">
          <div>
            <div className="pairing-code" data-testid="pairing-code" aria-label="Pairing code">
              {pairing.code}
            </div>
            <p
              aria-live="polite"
              data-testid="pairing-status"
              data-state={used ? 'used' : voided ? 'voided' : 'pending'}
            >
              {used !== null
                ? `Used: paired ${deviceName(used.deviceId)} at ${formatDateTime(used.pairedAt)}. Create a new code to pair another headset.`
                : voided
                  ? 'No longer valid: too many wrong codes were tried. Create a new code.'
                  : secondsLeft > 0
                    ? `Valid for ${Math.floor(secondsLeft / 60)}:${String(secondsLeft % 60).padStart(2, '0')}`
                    : 'Expired: create a new code.'}
            </p>
            <p className="muted">
              <a href={pairing.url} target="_blank" rel="noreferrer">
                {pairing.url}
              </a>
            </p>
          </div>
          {pairing.qr && (
            <img src={pairing.qr} width={220} height={220} alt={`QR code for ${pairing.url}`} />
          )}
        </div>
      )}
    </section>
  );
}
