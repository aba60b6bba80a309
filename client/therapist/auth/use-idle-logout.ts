import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../services';
import { signOutReason } from '../state/idle';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
const CHECK_EVERY_MS = 10_000;

/** Signs the therapist out after inactivity or at token expiry (the decision is signOutReason). */
export function useIdleLogout(): void {
  const { auth } = useServices();
  const token = useStore(auth, (s) => s.token);
  useEffect(() => {
    if (token === null) return;
    let lastActivity = Date.now();
    const onActivity = () => {
      lastActivity = Date.now();
    };
    for (const name of ACTIVITY_EVENTS)
      window.addEventListener(name, onActivity, { passive: true });
    const timer = window.setInterval(() => {
      const reason = signOutReason(Date.now(), lastActivity, auth.getState().expiresAtMs);
      if (reason !== null) auth.getState().signOut(reason);
    }, CHECK_EVERY_MS);
    return () => {
      window.clearInterval(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity);
    };
  }, [auth, token]);
}
