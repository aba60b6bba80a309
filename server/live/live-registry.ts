import type { LiveState } from '../../shared/protocol';

export interface LiveSession {
  patientId: string;
  sessionId: string;
  mode: 'live' | 'home';
  startedAt: string;
  state: LiveState | null;
}

/**
 * The running session and last scene state per patient, held in memory so a therapist who starts
 * watching gets them at once. The database keeps a copy for other processes and restarts.
 */
export class LiveRegistry {
  private readonly sessions = new Map<string, LiveSession>();

  start(session: Omit<LiveSession, 'state'>): LiveSession {
    const current = this.sessions.get(session.patientId);
    if (current?.sessionId === session.sessionId) return current;
    const started = { ...session, state: null };
    this.sessions.set(session.patientId, started);
    return started;
  }

  setState(patientId: string, state: LiveState): LiveSession | null {
    const current = this.sessions.get(patientId);
    if (current === undefined || current.sessionId !== state.sessionId) return null;
    current.state = state;
    return current;
  }

  end(patientId: string, sessionId: string): void {
    if (this.sessions.get(patientId)?.sessionId === sessionId) this.sessions.delete(patientId);
  }

  get(patientId: string): LiveSession | null {
    return this.sessions.get(patientId) ?? null;
  }

  forget(patientId: string): void {
    this.sessions.delete(patientId);
  }
}
