import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../support/browser';
import { api, createPatient, pairDevice } from '../support/clinic';
import { startServer, type RunningServer } from '../support/server';
import { connect, sleep, type TestSocket } from '../support/sockets';
import { openDashboard, openHeadset, signIn } from './pages';

/** MAX_SOCKETS_PER_TOKEN on the server: the page's socket is refused as the next one. */
const SOCKETS_PER_TOKEN = 4;

/** Takes every socket the token may have, so the page's own handshake is refused `rate_limited`. */
const occupy = (server: RunningServer, token: string): Promise<TestSocket[]> =>
  Promise.all(Array.from({ length: SOCKETS_PER_TOKEN }, () => connect(server.url, token)));

describe('the pages keep trying after a refused handshake, except for a dead token', () => {
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

  it('headset and dashboard refused as a fifth socket connect once one is free, without a reload', async () => {
    const login = await signIn(server, 'refused-fifth');
    const patient = await createPatient(server.url, login.token, 'FIFTH-1');
    const { deviceToken } = await pairDevice(server.url, login.token, patient.id);

    const deviceSockets = await occupy(server, deviceToken);
    const therapistSockets = await occupy(server, login.token);
    // The refusal itself, as the pages receive it.
    await expect(connect(server.url, deviceToken)).rejects.toThrow('rate_limited');

    const headset = await browser.context.newPage();
    await openHeadset(headset, server, deviceToken);
    const dashboard = await browser.context.newPage();
    await openDashboard(dashboard, server, login);
    const headsetStatus = headset.getByTestId('connection-status');
    const dashboardStatus = dashboard.getByTestId('connection-status');
    await expect.poll(() => headsetStatus.textContent()).toBe('offline');
    await expect.poll(() => dashboardStatus.textContent()).toBe('disconnected');
    // Several retries are refused in turn while every socket stays taken.
    await sleep(4000);
    expect(await headsetStatus.textContent()).toBe('offline');
    expect(await dashboardStatus.textContent()).toBe('disconnected');

    deviceSockets[0]!.close();
    therapistSockets[0]!.close();
    await expect.poll(() => headsetStatus.textContent(), { timeout: 15_000 }).toBe('connected');
    await expect.poll(() => dashboardStatus.textContent(), { timeout: 15_000 }).toBe('connected');
    for (const socket of [...deviceSockets, ...therapistSockets]) socket.close();
    await headset.close();
    await dashboard.close();
  });

  it('a revoked headset unpairs and a revoked sign-in signs out, each saying why', async () => {
    const login = await signIn(server, 'revoked-while-open');
    const patient = await createPatient(server.url, login.token, 'REVOKED-1');
    const { deviceToken, deviceId } = await pairDevice(server.url, login.token, patient.id);

    const headset = await browser.context.newPage();
    await openHeadset(headset, server, deviceToken);
    const dashboard = await browser.context.newPage();
    await openDashboard(dashboard, server, login);
    await expect
      .poll(() => headset.getByTestId('connection-status').textContent(), { timeout: 15_000 })
      .toBe('connected');
    await expect
      .poll(() => dashboard.getByTestId('connection-status').textContent(), { timeout: 15_000 })
      .toBe('connected');

    expect((await api(server.url, 'DELETE', `/api/devices/${deviceId}`, login.token)).status).toBe(
      200,
    );
    await expect
      .poll(() => headset.getByTestId('connection-refusal').textContent(), { timeout: 15_000 })
      .toContain('no longer paired');
    await headset.getByTestId('pair-code').waitFor();
    expect(await headset.evaluate(() => localStorage.getItem('reach.deviceToken'))).toBeNull();

    // Signed out elsewhere: the token is revoked and this tab's socket dropped.
    expect((await api(server.url, 'POST', '/api/auth/logout', login.token)).status).toBe(200);
    await dashboard.getByText('The server ended your sign-in').waitFor({ timeout: 15_000 });
    expect(await dashboard.getByTestId('connection-status').textContent()).toBe('signed out');
    await headset.close();
    await dashboard.close();
  });
});
