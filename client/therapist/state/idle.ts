/** Sign out after this long without keyboard, pointer or touch input: a shared clinic computer. */
export const IDLE_LOGOUT_MS = 15 * 60 * 1000;

/** `refused`: the server no longer accepts the token (expired, revoked, or signed out elsewhere). */
export type SignOutReason = 'idle' | 'expired' | 'refused';

/** Why the therapist must be signed out now, or null. Expiry wins: the token is already useless. */
export function signOutReason(
  nowMs: number,
  lastActivityMs: number,
  expiresAtMs: number,
  idleMs = IDLE_LOGOUT_MS,
): SignOutReason | null {
  if (nowMs >= expiresAtMs) return 'expired';
  if (nowMs - lastActivityMs >= idleMs) return 'idle';
  return null;
}

export const SIGN_OUT_MESSAGES: Record<SignOutReason, string> = {
  idle: 'You were signed out after 15 minutes without activity.',
  expired: 'Your sign-in expired. Please sign in again.',
  refused: 'The server ended your sign-in (it expired or was revoked). Please sign in again.',
};
