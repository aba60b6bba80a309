import type { Calibration } from '../../../shared/protocol';
import { deviceMeSchema, pairResponseSchema, type DeviceMe } from '../../../shared/protocol/http';

const TOKEN_KEY = 'reach.deviceToken';
const PROFILE_KEY = 'reach.deviceProfile';

/** What the headset needs to play, cached so a session can start when the network is down. */
export type DeviceProfile = DeviceMe;

export const storedDeviceToken = (): string | null => localStorage.getItem(TOKEN_KEY);

export function forgetDevice(): void {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(PROFILE_KEY);
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
  localStorage.setItem(TOKEN_KEY, answer.deviceToken);
  return answer.patient;
}

export function cachedProfile(): DeviceProfile | null {
  const raw = localStorage.getItem(PROFILE_KEY);
  if (raw === null) return null;
  try {
    const parsed = deviceMeSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
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
    const profile = deviceMeSchema.parse(await response.json());
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
