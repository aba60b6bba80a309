import { useStore } from 'zustand';
import type { SessionStatus } from '../../../shared/protocol/live';
import { headsetStatusText } from '../state/connection-store';
import { formatNumber } from '../patients/format';
import { useServices } from '../services';

const STATUS_TEXT: Record<SessionStatus, string> = {
  calibrating: 'calibrating',
  instructions: 'showing instructions',
  running: 'running',
  rest: 'resting',
  paused: 'paused',
  ended: 'ended',
};

const minutes = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/** Both ends of the connection and the session's state, in words. */
export function SessionStatusLine() {
  const { connection, live } = useServices();
  const server = useStore(connection, (s) => s.status);
  const info = useStore(live, (s) => s.live);
  const state = info?.state ?? null;
  const headset = headsetStatusText(server, info);
  return (
    <dl className="status-line" aria-label="Connection and session status">
      <div>
        <dt>Dashboard</dt>
        <dd>{server}</dd>
      </div>
      <div>
        <dt>Headset</dt>
        <dd data-testid="headset-status">{headset}</dd>
      </div>
      <div>
        <dt>Session</dt>
        <dd data-testid="session-status">
          {state ? STATUS_TEXT[state.status] : info ? 'starting' : '–'}
          {state?.pausedBy ? ` (by ${state.pausedBy.replace('_', ' ')})` : ''}
        </dd>
      </div>
      {state && (
        <>
          <div>
            <dt>Task</dt>
            <dd>
              {state.task}, {state.arm} arm
            </dd>
          </div>
          <div>
            <dt>Level</dt>
            <dd data-testid="session-level">{formatNumber(state.level, 0)}</dd>
          </div>
          <div>
            <dt>Target radius</dt>
            <dd>{formatNumber(state.params.targetRadius * 100, 1, 'cm')}</dd>
          </div>
          <div>
            <dt>Elapsed</dt>
            <dd>{minutes(state.elapsedSeconds)}</dd>
          </div>
          {state.restSecondsLeft !== null && (
            <div>
              <dt>Rest</dt>
              <dd>{Math.ceil(state.restSecondsLeft)} s</dd>
            </div>
          )}
        </>
      )}
    </dl>
  );
}
