import type { LiveState, LiveWorldMenu } from '../../shared/protocol';

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
  /**
   * Per patient, the world menu a headset connected to this process shows before its session
   * starts (the latest one when two headsets choose at once).
   */
  private readonly worldMenus = new Map<string, LiveWorldMenu>();

  showWorldMenu(menu: LiveWorldMenu): void {
    this.worldMenus.set(menu.patientId, menu);
  }

  /** The menu under `poseAlias` is no longer shown; true when it was the one held. */
  closeWorldMenu(patientId: string, poseAlias: string): boolean {
    if (this.worldMenus.get(patientId)?.poseAlias !== poseAlias) return false;
    this.worldMenus.delete(patientId);
    return true;
  }

  worldMenu(patientId: string): LiveWorldMenu | null {
    return this.worldMenus.get(patientId) ?? null;
  }

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
    this.worldMenus.delete(patientId);
  }
}
