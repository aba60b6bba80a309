import { StrictMode, useState, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { EntryScreen, type LaunchMode } from './entry/EntryScreen';
import { storedDeviceToken } from './net/device-api';
import { createPatientServices, ServicesContext, type PatientServices } from './services';

const services = createPatientServices(localStorage);
const token = storedDeviceToken();
if (token === null) {
  services.connection.watchServerHealth();
} else {
  const socket = services.connection.open(token);
  // Records a previous session left unsent go out now, whether or not a game starts.
  void services.outbox(socket);
}

function App({ services }: { services: PatientServices }) {
  const [Game, setGame] = useState<ComponentType | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  async function start(mode: LaunchMode) {
    setLoading(true);
    try {
      // The game (three, rapier, XR) is loaded only now, so the entry screen stays small.
      const { prepareGame } = await import('./game/boot');
      const component = await prepareGame(mode, services);
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
    <ServicesContext.Provider value={services}>
      <App services={services} />
    </ServicesContext.Provider>
  </StrictMode>,
);
