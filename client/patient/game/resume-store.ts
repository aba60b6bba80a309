import { parseResumeSnapshot, type ResumeSnapshot } from '../../../shared/game/session-resume';

/** Where the headset keeps its running session's snapshot: it outlives a reload, as the outbox does. */
const KEY = 'reach.resumableSession';

export function readResumeSnapshot(): ResumeSnapshot | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw === null ? null : parseResumeSnapshot(JSON.parse(raw));
  } catch {
    return null;
  }
}

export function saveResumeSnapshot(snapshot: ResumeSnapshot): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(snapshot));
  } catch {
    // Storage full: an older snapshot would resume the session at a wrong place, so keep none
    // (the session is then ended as abandoned by the server when this device starts another).
    localStorage.removeItem(KEY);
  }
}

export function clearResumeSnapshot(): void {
  localStorage.removeItem(KEY);
}
