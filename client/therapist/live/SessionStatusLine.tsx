import { useStore } from 'zustand';
import { headsetStatusText } from '../state/connection-store';
import { formatNumber } from '../ui/format';
import { taskText } from '../ui/task-text';
import { worldText } from '../ui/world-text';
import { useServices } from '../services';
import { sessionText, worldMenuText } from './session-text';

const minutes = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/** Both ends of the connection and the session's state, in words. */
export function SessionStatusLine() {
  const { connection, live } = useServices();
  const server = useStore(connection, (s) => s.status);
  const info = useStore(live, (s) => s.live);
  const worldMenu = useStore(live, (s) => s.worldMenu?.menu ?? null);
  const state = info?.endedAt ? null : (info?.state ?? null);
  // Before its session starts, a headset showing the world menu is on and connected.
  const choosing =
    worldMenu !== null && server === 'connected' && (info === null || !!info.endedAt);
  const headset = choosing ? 'connected' : headsetStatusText(server, info);
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
          {choosing ? worldMenuText(worldMenu) : sessionText(info)}
        </dd>
      </div>
      {state && (
        <>
          <div>
            <dt>Task</dt>
            <dd>
              {taskText(state.task)}, {state.arm} arm
            </dd>
          </div>
          <div>
            <dt>World</dt>
            <dd data-testid="session-world">{worldText(state.world)}</dd>
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
