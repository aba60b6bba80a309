/** The dashboard's pages, addressed by the URL hash so reloads and the back button work. */
export type Route =
  | { page: 'patients' }
  | { page: 'patient'; patientId: string }
  | { page: 'live'; patientId: string }
  | { page: 'history'; patientId: string }
  | { page: 'report'; patientId: string; sessionId: string };

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [root, patientId, sub, sessionId] = parts;
  if (root !== 'patients' || patientId === undefined || !SEGMENT.test(patientId)) {
    return { page: 'patients' };
  }
  if (sub === 'live') return { page: 'live', patientId };
  if (sub === 'history') return { page: 'history', patientId };
  if (sub === 'sessions' && sessionId !== undefined && SEGMENT.test(sessionId)) {
    return { page: 'report', patientId, sessionId };
  }
  return { page: 'patient', patientId };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'patients':
      return '#/patients';
    case 'patient':
      return `#/patients/${encodeURIComponent(route.patientId)}`;
    case 'live':
    case 'history':
      return `#/patients/${encodeURIComponent(route.patientId)}/${route.page}`;
    case 'report':
      return `#/patients/${encodeURIComponent(route.patientId)}/sessions/${encodeURIComponent(route.sessionId)}`;
  }
}
