import { createStore } from 'zustand/vanilla';
import type { LoginRequest, LoginResponse } from '../../../shared/protocol/http';
import { SIGN_OUT_MESSAGES, type SignOutReason } from './idle';

export interface AuthState {
  token: string | null;
  expiresAtMs: number;
  username: string | null;
  therapistId: string | null;
  signingIn: boolean;
  /** Shown on the sign-in page: a failed attempt or why the last sign-in ended. */
  message: string | null;
  signIn(request: LoginRequest): Promise<void>;
  signOut(reason?: SignOutReason): void;
}

export interface AuthDeps {
  login(request: LoginRequest): Promise<LoginResponse>;
  logout(): Promise<unknown>;
  /** Where the sign-in survives a reload of this tab (sessionStorage in the page). */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

const STORAGE_KEY = 'reach.therapist.auth';

interface StoredAuth {
  token: string;
  expiresAtMs: number;
  username: string;
  therapistId: string;
}

function readStored(storage: AuthDeps['storage']): StoredAuth | null {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<StoredAuth>;
    if (
      typeof value.token !== 'string' ||
      typeof value.expiresAtMs !== 'number' ||
      typeof value.username !== 'string' ||
      typeof value.therapistId !== 'string' ||
      value.expiresAtMs <= Date.now()
    ) {
      return null;
    }
    return value as StoredAuth;
  } catch {
    return null;
  }
}

export function createAuthStore(deps: AuthDeps) {
  const stored = readStored(deps.storage);
  return createStore<AuthState>()((set, get) => ({
    token: stored?.token ?? null,
    expiresAtMs: stored?.expiresAtMs ?? 0,
    username: stored?.username ?? null,
    therapistId: stored?.therapistId ?? null,
    signingIn: false,
    message: null,
    async signIn(request) {
      set({ signingIn: true, message: null });
      try {
        const answer = await deps.login(request);
        const auth: StoredAuth = {
          token: answer.token,
          expiresAtMs: Date.parse(answer.expiresAt),
          username: answer.therapist.username,
          therapistId: answer.therapist.id,
        };
        deps.storage?.setItem(STORAGE_KEY, JSON.stringify(auth));
        set({ ...auth, signingIn: false });
      } catch (error) {
        set({ signingIn: false, message: error instanceof Error ? error.message : String(error) });
      }
    },
    signOut(reason) {
      if (get().token === null) return;
      // Revoke on the server while the token is still known; failure changes nothing here.
      if (reason !== 'expired' && reason !== 'refused') deps.logout().catch(() => undefined);
      deps.storage?.removeItem(STORAGE_KEY);
      set({
        token: null,
        expiresAtMs: 0,
        username: null,
        therapistId: null,
        message: reason ? SIGN_OUT_MESSAGES[reason] : null,
      });
    },
  }));
}

export type AuthStore = ReturnType<typeof createAuthStore>;
