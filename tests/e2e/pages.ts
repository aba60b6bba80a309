import type { Page } from 'playwright-core';
import { api, PASSWORD } from '../support/clinic';
import { addTherapist, type RunningServer } from '../support/server';

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
