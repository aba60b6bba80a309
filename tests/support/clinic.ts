import type { PatientRecord } from '../../shared/protocol/http';
import { addTherapist, login } from './server';

/** HTTP set-up of a clinic through the real API: therapists, patients, paired headsets. */

export const PASSWORD = 'correct horse battery staple';

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

/** One HTTP call; a JSON answer is parsed, CSV and other text answers stay text. */
export async function api<T = unknown>(
  url: string,
  method: string,
  path: string,
  token?: string | null,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as T };
  } catch {
    return { status: response.status, body: text as T };
  }
}

/** A GET the API must answer with success: its answer; else the test fails naming what it got. */
export async function getOk<T>(url: string, token: string, path: string): Promise<T> {
  const { status, body } = await api<T>(url, 'GET', path, token);
  if (status < 200 || status > 299)
    throw new Error(`GET ${path}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * A server the tests make accounts on: a spawned one through the real CLI (on its data folder),
 * an in-process one directly (startInProcessServer).
 */
export type ClinicServer =
  | { url: string; dataDir: string }
  | { url: string; addTherapist(username: string, password: string): Promise<void> };

/** Creates a therapist account and signs it in. */
export async function therapistWithToken(
  server: ClinicServer,
  username: string,
  /** The server's database settings, for the account CLI (e.g. DATABASE_URL). */
  env: Record<string, string> = {},
): Promise<string> {
  if ('addTherapist' in server) await server.addTherapist(username, PASSWORD);
  else await addTherapist(server, username, PASSWORD, env);
  return login(server.url, username, PASSWORD);
}

export async function createPatient(
  url: string,
  token: string,
  code: string,
  extra: Partial<{ label: string; notes: string }> = {},
): Promise<PatientRecord> {
  const { status, body } = await api<PatientRecord>(url, 'POST', '/api/patients', token, {
    code,
    label: extra.label ?? `Patient ${code}`,
    affectedArm: 'right',
    posture: 'seated',
    notes: extra.notes ?? '',
  });
  if (status !== 201) throw new Error(`create patient: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Pairs a headset to the patient with a fresh pairing code; resolves with its device token. */
export async function pairDeviceToken(
  url: string,
  token: string,
  patientId: string,
): Promise<string> {
  const code = await api<{ code: string }>(
    url,
    'POST',
    `/api/patients/${patientId}/pairing-code`,
    token,
  );
  const paired = await api<{ deviceToken: string }>(url, 'POST', '/api/pair', null, {
    code: code.body.code,
  });
  if (paired.status !== 201)
    throw new Error(`pair: ${paired.status} ${JSON.stringify(paired.body)}`);
  return paired.body.deviceToken;
}

/** Pairs a headset as `pairDeviceToken` does, and also looks up the new device's id. */
export async function pairDevice(
  url: string,
  token: string,
  patientId: string,
): Promise<{ deviceToken: string; deviceId: string }> {
  const deviceToken = await pairDeviceToken(url, token, patientId);
  const devices = await api<{ devices: { id: string }[] }>(
    url,
    'GET',
    `/api/patients/${patientId}/devices`,
    token,
  );
  return { deviceToken, deviceId: devices.body.devices.at(-1)!.id };
}

/** A therapist with one patient and one paired headset. */
export interface Clinic {
  therapistToken: string;
  patientId: string;
  deviceToken: string;
  deviceId: string;
}

export async function setUpClinic(
  server: ClinicServer,
  username: string,
  /** The server's database settings, for the account CLI (e.g. DATABASE_URL). */
  env: Record<string, string> = {},
): Promise<Clinic> {
  const therapistToken = await therapistWithToken(server, username, env);
  const patientId = (await createPatient(server.url, therapistToken, `${username}-P1`)).id;
  const device = await pairDevice(server.url, therapistToken, patientId);
  return { therapistToken, patientId, ...device };
}
