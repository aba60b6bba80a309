import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Calibration } from '../../shared/protocol';
import { launchBrowser, type LaunchedBrowser } from '../support/browser';
import { api, createPatient, pairDeviceToken, PASSWORD } from '../support/clinic';
import { addTherapist, startServer, type RunningServer } from '../support/server';
import { connect, request, type TestSocket } from '../support/sockets';

/** Where the browser tests leave their screenshots. */
export const TEST_OUTPUT = resolve(import.meta.dirname, '../../test-output');

/** What `POST /api/auth/login` answers. */
export interface Login {
  token: string;
  expiresAt: string;
  therapist: { id: string; username: string };
}

/** Creates a therapist account and signs it in over the API. */
export async function signIn(server: RunningServer, username: string): Promise<Login> {
  await addTherapist(server, username, PASSWORD);
  const { status, body } = await api<Login>(server.url, 'POST', '/api/auth/login', null, {
    username,
    password: PASSWORD,
  });
  if (status !== 200) throw new Error(`login: ${status}`);
  return body;
}

/**
 * Signs `username` in through the dashboard's own form on `page` (at `baseUrl`: the server, or a
 * hop in front of it) and waits for the patient list.
 */
export async function signInOnDashboard(
  page: Page,
  baseUrl: string,
  username: string,
): Promise<void> {
  await page.goto(`${baseUrl}/therapist/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My patients' }).waitFor();
}

/** Opens the dashboard already signed in with `login`, as a reload of a signed-in tab would. */
export async function openDashboard(
  page: Page,
  server: RunningServer,
  login: Login,
  hash = '',
): Promise<void> {
  await page.goto(`${server.url}/therapist/`);
  await page.evaluate((auth) => {
    sessionStorage.setItem(
      'reach.therapist.auth',
      JSON.stringify({
        token: auth.token,
        expiresAtMs: Date.parse(auth.expiresAt),
        username: auth.therapist.username,
        therapistId: auth.therapist.id,
      }),
    );
  }, login);
  // A change of hash alone would not load the page again, and the sign-in is read at load.
  await page.goto(`${server.url}/therapist/${hash}`);
  await page.reload();
}

/** The headset's entry page, already paired with `deviceToken`, opened again. */
export async function openHeadset(
  page: Page,
  server: RunningServer,
  deviceToken: string,
): Promise<void> {
  await page.goto(`${server.url}/?automation=1`);
  await page.evaluate((token) => localStorage.setItem('reach.deviceToken', token), deviceToken);
  await page.goto(`${server.url}/?automation=1`);
}

/** The server and browser of a file's dashboard tests, with the headset sockets they opened. */
export interface DashboardClinic {
  server: RunningServer;
  browser: LaunchedBrowser;
  headsets: TestSocket[];
}

/**
 * Starts a server and a browser (`viewport`) before the enclosing describe's tests and closes
 * them, and every socket of `headsetWithHistory`, after; makes TEST_OUTPUT for screenshots.
 */
export function useDashboardClinic(viewport: { width: number; height: number }): DashboardClinic {
  const clinic = { headsets: [] } as unknown as DashboardClinic;
  beforeAll(async () => {
    mkdirSync(TEST_OUTPUT, { recursive: true });
    clinic.server = await startServer();
    clinic.browser = await launchBrowser({ viewport });
  });
  afterAll(async () => {
    for (const headset of clinic.headsets) headset.disconnect();
    await clinic.browser?.close();
    await clinic.server?.close();
  });
  return clinic;
}

/**
 * A therapist (`username`, signed in), a new patient (`patientCode`), and a headset socket paired
 * with it that saved `calibration`: what the dashboard tests store their sessions through.
 */
export async function headsetWithHistory(
  clinic: DashboardClinic,
  username: string,
  patientCode: string,
  calibration: Calibration,
): Promise<{ login: Login; patientId: string; device: TestSocket }> {
  const { server } = clinic;
  const login = await signIn(server, username);
  const patientId = (await createPatient(server.url, login.token, patientCode)).id;
  const device = await connect(
    server.url,
    await pairDeviceToken(server.url, login.token, patientId),
  );
  clinic.headsets.push(device);
  const saved = await request(device, 'calibration:save', calibration);
  if (!saved.ok) throw new Error(`calibration:save: ${JSON.stringify(saved)}`);
  return { login, patientId, device };
}
