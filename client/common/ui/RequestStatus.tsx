import type { ReactNode } from 'react';

interface Props {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  onRetry?: () => void;
  /** What is loading, e.g. "patients" */
  what: string;
  children?: ReactNode;
}

/** The loading and error states every request shows; children render once data is there. */
export function RequestStatus({ status, error, onRetry, what, children }: Props) {
  if (status === 'error') {
    return (
      <div role="alert" className="request-error">
        Could not load {what}: {error}
        {onRetry && (
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    );
  }
  if (status === 'loading') {
    return (
      <p className="loading" aria-live="polite">
        Loading {what}…
      </p>
    );
  }
  return <>{children}</>;
}
