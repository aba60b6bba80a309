import { useStore } from 'zustand';
import { SignInPage } from './auth/SignInPage';
import { useIdleLogout } from './auth/use-idle-logout';
import { HistoryPage } from './history/HistoryPage';
import { SessionReportPage } from './history/SessionReportPage';
import { LivePage } from './live/LivePage';
import { PatientPage } from './patients/PatientPage';
import { PatientsPage } from './patients/PatientsPage';
import { useServices } from './services';
import { routeHref } from './state/route';
import { useHashRoute } from './state/use-hash-route';

function ConnectionBadge() {
  const { connection } = useServices();
  const status = useStore(connection, (s) => s.status);
  const error = useStore(connection, (s) => s.error);
  return (
    <>
      <span className={`badge badge-${status.replace(' ', '-')}`}>
        Server: <span data-testid="connection-status">{status}</span>
      </span>
      {status === 'disconnected' && error && (
        <span className="connection-error" role="status">
          {error}
        </span>
      )}
    </>
  );
}

export function App() {
  const { auth } = useServices();
  const token = useStore(auth, (s) => s.token);
  const username = useStore(auth, (s) => s.username);
  const route = useHashRoute();
  useIdleLogout();

  return (
    <>
      <header className="top-bar no-print">
        <a className="brand" href={routeHref({ page: 'patients' })}>
          Reach · therapist
        </a>
        <ConnectionBadge />
        {token !== null && (
          <span className="user">
            {username}
            <button type="button" onClick={() => auth.getState().signOut()}>
              Sign out
            </button>
          </span>
        )}
      </header>
      {token === null ? (
        <SignInPage />
      ) : route.page === 'patients' ? (
        <PatientsPage />
      ) : route.page === 'patient' ? (
        <PatientPage key={route.patientId} patientId={route.patientId} />
      ) : route.page === 'live' ? (
        <LivePage key={route.patientId} patientId={route.patientId} />
      ) : route.page === 'history' ? (
        <HistoryPage key={route.patientId} patientId={route.patientId} />
      ) : (
        <SessionReportPage
          key={route.sessionId}
          patientId={route.patientId}
          sessionId={route.sessionId}
        />
      )}
    </>
  );
}
