import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../support/browser';
import { api, createPatient, pairDevice } from '../support/clinic';
import { startServer, type RunningServer } from '../support/server';
import { connect, request, sleep, type TestSocket } from '../support/sockets';
import { openDashboard, signIn } from './pages';

/** MAX_SOCKETS_PER_TOKEN on the server: the page's socket is refused as the next one. */
const SOCKETS_PER_TOKEN = 4;

type SessionList = { sessions: { id: string; endReason: string | null }[] };

describe('the dashboard in a clinic day: pairing while its socket is away, unpairing mid-session', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await browser?.close();
    await server?.close();
  });

  it('a code used while its socket was away shows as used once the socket is back', async () => {
    const login = await signIn(server, 'away-pairing');
    const patient = await createPatient(server.url, login.token, 'AWAY-P1');
    // Every socket the sign-in may have is taken: the page's handshakes are refused meanwhile,
    // so `pairing:used` cannot reach it (its HTTP calls work).
    const taken = await Promise.all(
      Array.from({ length: SOCKETS_PER_TOKEN }, () => connect(server.url, login.token)),
    );
    sockets.push(...taken);
    const dashboard = await browser.context.newPage();
    await openDashboard(dashboard, server, login, `#/patients/${patient.id}`);
    const connection = dashboard.getByTestId('connection-status');
    await expect.poll(() => connection.textContent()).toBe('disconnected');
    await dashboard.getByRole('button', { name: 'Show pairing code' }).click();
    const code = (await dashboard.getByTestId('pairing-code').textContent())!.trim();
    const status = dashboard.getByTestId('pairing-status');

    const paired = await api(server.url, 'POST', '/api/pair', null, { code });
    expect(paired.status).toBe(201);
    await sleep(1500);
    expect(await status.getAttribute('data-state')).toBe('pending');

    taken[0]!.close();
    await expect.poll(() => connection.textContent(), { timeout: 15_000 }).toBe('connected');
    const devices = await api<{ devices: { id: string }[] }>(
      server.url,
      'GET',
      `/api/patients/${patient.id}/devices`,
      login.token,
    );
    const deviceId = devices.body.devices[0]!.id;
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 10_000 }).toBe('used');
    expect(await status.textContent()).toContain(
      `Used: paired headset ${deviceId.slice(0, 8)} at `,
    );
    await expect
      .poll(() => dashboard.locator(`li[data-device-id="${deviceId}"]`).count(), {
        timeout: 10_000,
      })
      .toBe(1);
    await dashboard.close();
  });

  it('revoking a headset that plays a session says first that the session ends', async () => {
    const login = await signIn(server, 'unpair-warning');
    const patient = await createPatient(server.url, login.token, 'UNPAIR-1');
    const { deviceToken, deviceId } = await pairDevice(server.url, login.token, patient.id);
    const headset = await connect(server.url, deviceToken);
    sockets.push(headset);
    const sessionId = crypto.randomUUID();
    const started = await request(headset, 'session:start', {
      sessionId,
      mode: 'live',
      startedAt: new Date().toISOString(),
    });
    expect(started.ok).toBe(true);
    const sessions = async () =>
      (
        await api<SessionList>(
          server.url,
          'GET',
          `/api/patients/${patient.id}/sessions`,
          login.token,
        )
      ).body.sessions.map((s) => [s.id, s.endReason]);

    const dashboard = await browser.context.newPage();
    await openDashboard(dashboard, server, login, `#/patients/${patient.id}`);
    const row = dashboard.locator(`li[data-device-id="${deviceId}"]`);
    await row.waitFor();

    // Asked first, and told what happens to the running session; "no" changes nothing.
    const asked: string[] = [];
    dashboard.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toMatch(
      new RegExp(`^Headset ${deviceId.slice(0, 8)} is playing a session now\\. `),
    );
    expect(asked[0]).toContain('ends that session at once');
    expect(asked[0]).toContain('trials the headset has not sent yet are lost');
    await sleep(500);
    expect(await row.count()).toBe(1);
    expect(await sessions()).toEqual([[sessionId, null]]);

    dashboard.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(sessions, { timeout: 10_000 }).toEqual([[sessionId, 'therapist']]);
    await dashboard.close();
  });
});
