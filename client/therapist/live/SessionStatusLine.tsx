import { useStore } from 'zustand';
import type { SessionEndReason } from '../../../shared/protocol/events';
import type { LiveSessionInfo, SessionStatus } from '../../../shared/protocol/live';
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

/** Why a session ended, as the therapist reads it (reasons in shared/protocol/events.ts). */
const END_REASON_TEXT: Record<SessionEndReason, string> = {
  plan_complete: 'plan complete',
  time_up: 'time up',
  patient: 'by the patient',
  therapist: 'by the therapist',
  abandoned: 'abandoned: the headset did not take it up again',
};

const endText = (reason: string | null | undefined) =>
  reason ? (END_REASON_TEXT[reason as SessionEndReason] ?? reason) : '';

/** The session in words: an ended session says so, never its last paused scene. */
function sessionText(info: LiveSessionInfo | null): string {
  if (info === null) return '–';
  if (info.endedAt) return `ended (${endText(info.endReason)})`;
  const state = info.state;
  if (state === null) return 'starting';
  const by = state.pausedBy ? ` (by ${state.pausedBy.replace('_', ' ')})` : '';
  return `${STATUS_TEXT[state.status]}${by}`;
}

const minutes = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/** Both ends of the connection and the session's state, in words. */
export function SessionStatusLine() {
  const { connection, live } = useServices();
  const server = useStore(connection, (s) => s.status);
  const info = useStore(live, (s) => s.live);
  const state = info?.endedAt ? null : (info?.state ?? null);
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
        <dd data-testid="session-status">{sessionText(info)}</dd>
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
