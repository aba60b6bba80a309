import { useEffect, useState, type FormEvent } from 'react';
import { pairDevice, storedDeviceToken, forgetDevice } from '../net/device-api';
import { useServices } from '../services';
import { speak } from '../speech';
import { setPreset } from './presets';

export type LaunchMode = 'paired' | 'practice';

interface Props {
  onStart: (mode: LaunchMode) => void;
  loading: boolean;
  loadError: string | null;
}

const codeFromUrl = (): string => {
  const code = new URLSearchParams(location.search).get('code') ?? '';
  return /^\d{6}$/.test(code) ? code : '';
};

/** The server's terse error ("this code is wrong, used or expired") as a sentence to show and say. */
const sentence = (text: string): string => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

export function ConnectionStatusLine() {
  const useConnection = useServices().connection.store;
  const status = useConnection((s) => s.status);
  const refusal = useConnection((s) => s.refusal);
  return (
    <>
      <p className="status">
        Server:{' '}
        <strong data-testid="connection-status" data-state={status}>
          {status}
        </strong>
      </p>
      {refusal !== null && (
        <p className="field-error" role="alert" data-testid="connection-refusal">
          {refusal}
        </p>
      )}
    </>
  );
}

/** Large toggles for the display presets; pressed state is announced and shown by a mark. */
function PresetToggles() {
  const { presets, storage } = useServices();
  const large = presets((s) => s.large);
  const highContrast = presets((s) => s.highContrast);
  return (
    <fieldset className="presets">
      <legend>What you see in the headset</legend>
      <button
        className="toggle-button"
        data-testid="preset-large"
        aria-pressed={large}
        onClick={() => setPreset(presets, storage, 'large', !large)}
      >
        {large ? '✓ ' : ''}Large text
      </button>
      <button
        className="toggle-button"
        data-testid="preset-contrast"
        aria-pressed={highContrast}
        onClick={() => setPreset(presets, storage, 'highContrast', !highContrast)}
      >
        {highContrast ? '✓ ' : ''}High contrast
      </button>
    </fieldset>
  );
}

/** The 2D screen before VR: pair once with the therapist's code, then start. */
export function EntryScreen({ onStart, loading, loadError }: Props) {
  const [paired, setPaired] = useState(() => storedDeviceToken() !== null);
  const [code, setCode] = useState(codeFromUrl);
  const [pairing, setPairing] = useState(false);
  const [pairError, setPairError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { connection } = useServices();
  const refusal = connection.store((s) => s.refusal);

  useEffect(() => {
    if (loadError !== null) setError(loadError);
  }, [loadError]);

  // The server refused the device token (revoked): the headset is unpaired and asks for a code.
  useEffect(() => {
    if (refusal !== null && storedDeviceToken() === null) setPaired(false);
  }, [refusal]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPairing(true);
    setPairError(null);
    try {
      await pairDevice(code);
      const token = storedDeviceToken();
      if (token !== null) connection.open(token);
      setPaired(true);
    } catch (e) {
      // Next to the field, large, and spoken: the patient may not see small text or the page's end.
      const message = sentence(e instanceof Error ? e.message : 'Pairing failed');
      setPairError(message);
      speak(message);
    } finally {
      setPairing(false);
    }
  }

  return (
    <main className="entry">
      <h1>Reach</h1>
      <ConnectionStatusLine />
      {paired ? (
        <>
          <p>This headset is paired. Put it on and press the button.</p>
          <button
            className="big-button"
            data-testid="start-paired"
            disabled={loading}
            onClick={() => onStart('paired')}
          >
            {loading ? 'Loading…' : 'Start'}
          </button>
          <button
            className="link-button"
            onClick={() => {
              forgetDevice();
              connection.close();
              setPaired(false);
            }}
          >
            Unpair this headset
          </button>
        </>
      ) : (
        <form onSubmit={submit} className="entry">
          <label>
            Code from your therapist
            <input
              data-testid="pair-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{6}"
              maxLength={6}
              value={code}
              aria-invalid={pairError !== null}
              aria-describedby={pairError !== null ? 'pair-error' : undefined}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            />
          </label>
          {pairError !== null && (
            <p id="pair-error" className="field-error" role="alert" data-testid="pair-error">
              {pairError}
            </p>
          )}
          <button
            className="big-button"
            type="submit"
            data-testid="pair-button"
            disabled={pairing || code.length !== 6}
          >
            {pairing ? 'Pairing…' : 'Pair'}
          </button>
        </form>
      )}
      <PresetToggles />
      <button
        className="link-button"
        data-testid="start-practice"
        disabled={loading}
        onClick={() => onStart('practice')}
      >
        Try without pairing
      </button>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </main>
  );
}
