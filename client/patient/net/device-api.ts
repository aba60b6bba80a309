import type { OutboxBinding } from '../../../shared/game/outbox-queue';
import { z } from 'zod';
import type { Calibration, PlayedSession } from '../../../shared/protocol';
import { newestCalibration } from '../../../shared/game/calibration';
import {
  mergeProgressHistory,
  unacknowledgedSessions,
  withSessionPlayed,
} from '../../../shared/game/progress';
import { deviceMeSchema, pairResponseSchema, type DeviceMe } from '../../../shared/protocol/http';
import { PROGRESS_RECENT_SESSIONS, playedSessionSchema } from '../../../shared/protocol/progress';

const TOKEN_KEY = 'reach.deviceToken';
const PROFILE_KEY = 'reach.deviceProfile';
const PAIRING_KEY = 'reach.pairing';
/** Sessions played here whose records the server may not have yet (see `unsentSessions`). */
const UNSENT_SESSIONS_KEY = 'reach.unsentSessions';

/** What the headset needs to play, cached so a session can start when the network is down. */
export type DeviceProfile = DeviceMe;

export const storedDeviceToken = (): string | null => localStorage.getItem(TOKEN_KEY);

export function forgetDevice(): void {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(PROFILE_KEY);
  localStorage.removeItem(PAIRING_KEY);
  localStorage.removeItem(UNSENT_SESSIONS_KEY);
}

/** 128 random bits; getRandomValues works on plain-HTTP LAN pages too, unlike randomUUID. */
function newPairingId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function rememberPairing(pairing: OutboxBinding): OutboxBinding {
  localStorage.setItem(PAIRING_KEY, JSON.stringify(pairing));
  return pairing;
}

/**
 * The pairing this headset holds (one per device token), which every outbox item is bound to; null
 * when unpaired. A headset paired before pairings were recorded gets one now, for its cached
 * patient.
 */
export function currentPairing(): OutboxBinding | null {
  if (storedDeviceToken() === null) return null;
  try {
    const stored = JSON.parse(localStorage.getItem(PAIRING_KEY) ?? 'null') as unknown;
    if (
      typeof stored === 'object' &&
      stored !== null &&
      'pairingId' in stored &&
      typeof stored.pairingId === 'string' &&
      'patientId' in stored &&
      (typeof stored.patientId === 'string' || stored.patientId === null)
    )
      return { pairingId: stored.pairingId, patientId: stored.patientId };
  } catch {
    // unreadable: replaced below
  }
  return rememberPairing({
    pairingId: newPairingId(),
    patientId: cachedProfile()?.patient.id ?? null,
  });
}

async function readError(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

/** Pairs this headset with a patient using the therapist's 6-digit code; keeps the device token. */
export async function pairDevice(code: string): Promise<{ id: string; label: string }> {
  const response = await fetch('/api/pair', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  if (!response.ok) throw new Error(await readError(response));
  const answer = pairResponseSchema.parse(await response.json());
  // The previous pairing's profile must not stand in for the new patient's when offline.
  localStorage.removeItem(PROFILE_KEY);
  localStorage.removeItem(UNSENT_SESSIONS_KEY);
  localStorage.setItem(TOKEN_KEY, answer.deviceToken);
  rememberPairing({ pairingId: newPairingId(), patientId: answer.patient.id });
  // Cached now, so that a headset paired once can play its plan offline from the next start on.
  void loadProfile(answer.deviceToken);
  return answer.patient;
}

/**
 * What is kept under `key` when the schema takes it; null when nothing is, or what is kept is
 * unreadable or was written by an older build in another shape.
 */
function storedValue<S extends z.ZodType>(key: string, schema: S): z.output<S> | null {
  const raw = localStorage.getItem(key);
  if (raw === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function cachedProfile(): DeviceProfile | null {
  return storedValue(PROFILE_KEY, deviceMeSchema);
}

/** The patient's plan, calibration and difficulty from the server, or the cached copy offline. */
export async function loadProfile(token: string): Promise<DeviceProfile | null> {
  try {
    const response = await fetch('/api/device/me', {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (response.status === 401 || response.status === 403) {
      forgetDevice();
      return null;
    }
    if (!response.ok) return cachedProfile();
    const fetched = deviceMeSchema.parse(await response.json());
    // The server's history lacks what the outbox has not delivered yet: those sessions are added.
    const unsent = unacknowledgedSessions(fetched.progress, unsentSessions());
    saveUnsentSessions(unsent);
    // Likewise a calibration measured here and still in the outbox: each arm's newest stands.
    const cached = cachedProfile();
    const calibration =
      cached !== null && cached.patient.id === fetched.patient.id
        ? newestCalibration(fetched.calibration, cached.calibration)
        : fetched.calibration;
    const profile = {
      ...fetched,
      calibration,
      progress: mergeProgressHistory(fetched.progress, unsent),
    };
    localStorage.setItem(PROFILE_KEY, JSON.stringify(profile));
    return profile;
  } catch {
    return cachedProfile();
  }
}

export function saveCalibrationLocally(calibration: Calibration): void {
  const profile = cachedProfile();
  if (profile === null) return;
  localStorage.setItem(PROFILE_KEY, JSON.stringify({ ...profile, calibration }));
}

const unsentListSchema = z.array(playedSessionSchema).max(PROGRESS_RECENT_SESSIONS);

/**
 * Completed sessions played on this headset that the server may not count yet: kept from their
 * end until the server's history holds them or the outbox has delivered their end.
 */
export function unsentSessions(): PlayedSession[] {
  return storedValue(UNSENT_SESSIONS_KEY, unsentListSchema) ?? [];
}

function saveUnsentSessions(sessions: PlayedSession[]): void {
  if (sessions.length === 0) localStorage.removeItem(UNSENT_SESSIONS_KEY);
  else
    localStorage.setItem(
      UNSENT_SESSIONS_KEY,
      JSON.stringify(sessions.slice(0, PROGRESS_RECENT_SESSIONS)),
    );
}

/**
 * Adds a session just played to the cached profile's progress history, so that the next session
 * played offline counts it too, and keeps it as unsent until the server has it: the history
 * fetched at the next online start may come before the outbox delivered it.
 */
export function rememberSessionPlayed(played: PlayedSession): void {
  const profile = cachedProfile();
  if (profile === null) return;
  const progress = withSessionPlayed(profile.progress, played);
  localStorage.setItem(PROFILE_KEY, JSON.stringify({ ...profile, progress }));
  if (progress !== profile.progress)
    saveUnsentSessions([
      played,
      ...unsentSessions().filter((s) => s.sessionId !== played.sessionId),
    ]);
}

/** The server acknowledged a session's end: its own history counts the session from now on. */
export function sessionDelivered(sessionId: string): void {
  const unsent = unsentSessions();
  const left = unsent.filter((s) => s.sessionId !== sessionId);
  if (left.length !== unsent.length) saveUnsentSessions(left);
}
