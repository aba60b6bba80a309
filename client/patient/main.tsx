import { StrictMode, useState, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { EntryScreen, type LaunchMode } from './entry/EntryScreen';
import { openDeviceSocket, watchServerHealth } from './net/connection';
import { storedDeviceToken } from './net/device-api';

const token = storedDeviceToken();
if (token === null) {
  watchServerHealth();
} else {
  const socket = openDeviceSocket(token);
  // Records a previous session left unsent go out now, whether or not a game starts.
  void import('./outbox/shared-outbox').then(({ sharedOutbox }) => sharedOutbox(socket));
}

function App() {
  const [Game, setGame] = useState<ComponentType | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  async function start(mode: LaunchMode) {
    setLoading(true);
    try {
      // The game (three, rapier, XR) is loaded only now, so the entry screen stays small.
      const { prepareGame } = await import('./game/boot');
      const component = await prepareGame(mode);
      setGame(() => component);
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : 'The game could not load');
    } finally {
      setLoading(false);
    }
  }

  if (Game !== null) return <Game />;
  return (
    <EntryScreen onStart={(mode) => void start(mode)} loading={loading} loadError={loadError} />
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
