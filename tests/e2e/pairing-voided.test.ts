import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../support/browser';
import { api, createPatient } from '../support/clinic';
import { startServer, type RunningServer } from '../support/server';
import { openDashboard, signIn } from './pages';

describe('a pairing code killed by wrong guesses', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is shown as no longer valid on the dashboard, not counted down', async () => {
    const login = await signIn(server, 'pairing-voided');
    const patient = await createPatient(server.url, login.token, 'VOID-1');
    const dashboard = await browser.context.newPage();
    await openDashboard(dashboard, server, login, `#/patients/${patient.id}`);
    await dashboard.getByRole('button', { name: 'Show pairing code' }).click();
    const code = (await dashboard.getByTestId('pairing-code').textContent())!.trim();
    await expect
      .poll(() => dashboard.getByTestId('connection-status').textContent())
      .toBe('connected');
    const wrong = ['000000', '111111', '222222', '333333', '444444', '555555'].filter(
      (c) => c !== code,
    );
    for (const guess of wrong.slice(0, 5)) {
      expect((await api(server.url, 'POST', '/api/pair', null, { code: guess })).status).toBe(404);
    }
    const status = dashboard.getByTestId('pairing-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 10_000 }).toBe('voided');
    expect(await status.textContent()).toBe(
      'No longer valid: too many wrong codes were tried. Create a new code.',
    );
    await dashboard.getByRole('button', { name: 'New code' }).click();
    await expect.poll(() => status.getAttribute('data-state')).toBe('pending');
    await dashboard.close();
  });
});
