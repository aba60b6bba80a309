import { useState } from 'react';
import { useServices } from '../services';
import { saveBlob } from './download';

interface Props {
  label: string;
  path: string;
  filename: string;
  testId: string;
}

export function ExportButton({ label, path, filename, testId }: Props) {
  const { api } = useServices();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const run = async () => {
    setState({ busy: true, error: null });
    try {
      saveBlob(await api.download(path), filename);
      setState({ busy: false, error: null });
    } catch (e) {
      setState({ busy: false, error: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <span className="export">
      <button type="button" data-testid={testId} disabled={state.busy} onClick={() => void run()}>
        {state.busy ? 'Preparing…' : label}
      </button>
      {state.error && (
        <span role="alert" className="message">
          {label} failed: {state.error}
        </span>
      )}
    </span>
  );
}
