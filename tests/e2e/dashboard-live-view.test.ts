import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLAN } from '../../shared/clinical/plan';
import type { Workspace } from '../../shared/protocol';
import { collectConsoleErrors, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { api, createPatient, pairDeviceToken } from '../support/clinic';
import { startServer, type RunningServer } from '../support/server';
import { connect, loose, request, type TestSocket } from '../support/sockets';
import { makeState, makeTrial } from '../support/trials';
import { gameState } from './game-driver';
import { openDashboard, openHeadset, signIn, type Login } from './pages';

const OUTPUT = resolve(import.meta.dirname, '../../test-output');
const GAME_QUERY = 'instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=5&rest=0';

describe('the live view a therapist reads: the world menu, the placement in force, flags after a reconnect', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;
  let login: Login;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    server = await startServer();
    login = await signIn(server, 'dr-live-view');
    browser = await launchBrowser({ viewport: { width: 1100, height: 900 } });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await browser?.close();
    await server?.close();
  });

  it('shows the headset on and the patient choosing a world (with the mirror), then the session', async () => {
    const patientId = (await createPatient(server.url, login.token, 'LV-MENU')).id;
    const plan = { ...DEFAULT_PLAN, tasks: [{ task: 'touch', sets: 1, repetitions: 1 }] };
    expect(
      (
        await api(server.url, 'PATCH', `/api/patients/${patientId}`, login.token, {
          plan: { ...plan, world: 'choice' },
        })
      ).status,
    ).toBe(200);
    const dashboard = await browser.context.newPage();
    const dashboardErrors = collectConsoleErrors(dashboard);
    await openDashboard(dashboard, server, login, `#/patients/${patientId}/live`);
    const session = dashboard.getByTestId('session-status');
    const headsetStatus = dashboard.getByTestId('headset-status');
    await expect.poll(() => headsetStatus.textContent(), { timeout: 20_000 }).toBe('no session');

    const headset = await browser.context.newPage();
    await openHeadset(headset, server, await pairDeviceToken(server.url, login.token, patientId));
    await headset.goto(`${server.url}/?automation=1&${GAME_QUERY}`);
    await headset.getByTestId('start-paired').click();
    await headset.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
    await headset.evaluate(() => window.__reach!.enterVR());
    await headset.waitForFunction(() => window.__reach!.getState().worldMenu.visible, null, {
      timeout: 30_000,
    });

    await expect
      .poll(() => session.textContent(), { timeout: 10_000 })
      .toMatch(
        /^The patient is choosing a world in the headset \(Orchard in the morning starts in \d+ s if they do not choose\)$/,
      );
    expect(await headsetStatus.textContent()).toBe('connected');
    // The mirror shows the head while the patient chooses.
    await expect
      .poll(
        () =>
          dashboard.evaluate(() => window.__reachDashboard!.getMirrorState().parts.head !== null),
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(await dashboard.getByTestId('mirror-status').textContent()).toBe('Live');
    await dashboard.screenshot({ path: resolve(OUTPUT, 'live-world-menu.png') });

    // Nobody chooses in the headset's 30 s: the orchard starts, and the live view says so.
    await expect
      .poll(() => session.textContent(), { timeout: 45_000 })
      .toBe('No world chosen in time: Orchard in the morning starts in a moment');
    const { sessionId } = await gameState(headset);
    await expect
      .poll(() => session.textContent(), { timeout: 30_000 })
      .toMatch(/^(Calibrating|Showing instructions|Running)$/);
    expect(
      await dashboard.evaluate(
        () => (window.__reachDashboard!.getLiveState() as { live: { sessionId: string } }).live,
      ),
    ).toMatchObject({ sessionId });
    expect(await dashboard.getByTestId('session-world').textContent()).toBe(
      'Orchard in the morning',
    );
    expect(dashboardErrors).toEqual([]);
    await headset.close();
    await dashboard.close();
  }, 180_000);

  it('shows the placement in force, after a reload too, and the flags of trials fetched on reconnect', async () => {
    const patientId = (await createPatient(server.url, login.token, 'LV-PLACE')).id;
    const device = await connect(
      server.url,
      await pairDeviceToken(server.url, login.token, patientId),
    );
    sockets.push(device);
    loose(device).on('control:apply', (...args: unknown[]) =>
      (args.at(-1) as (r: unknown) => void)({ applied: true }),
    );
    const workspace: Workspace = {
      arm: 'right',
      posture: 'seated',
      shoulder: [0.2, 1.2, 0],
      reach: { forward: 0.55, outward: 0.4, up: 0.3, across: 0.2 },
      measuredAt: new Date().toISOString(),
    };
    expect(await request(device, 'calibration:save', { right: workspace })).toMatchObject({
      ok: true,
    });
    // A baseline of 20 usual reaches the day before.
    const first = randomUUID();
    const start = Date.now() - 86_400_000;
    await request(device, 'session:start', {
      sessionId: first,
      mode: 'home',
      startedAt: new Date(start).toISOString(),
    });
    for (let i = 1; i <= 20; i++) {
      const trial = makeTrial(first, i, 10, { startMs: start + i * 3000, levelBefore: 20 });
      trial.metrics = { ...trial.metrics, movementTime: [0.85, 0.87, 0.9, 0.93, 0.95][i % 5]! };
      expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
    }
    // Today's session, under the therapist's sectors, with one unusual reach stored while no
    // dashboard watched: the page's watch fetches it to catch up.
    const sessionId = randomUUID();
    await request(device, 'session:start', {
      sessionId,
      mode: 'live',
      startedAt: new Date().toISOString(),
    });
    device.emit(
      'session:state',
      makeState(sessionId, { placement: { mode: 'sector', sectors: [16, 17] } }),
    );
    const odd = makeTrial(sessionId, 1, 10);
    odd.metrics = { ...odd.metrics, movementTime: 3 };
    expect(await request(device, 'trial:submit', odd)).toMatchObject({ ok: true });

    const page = await browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await openDashboard(page, server, login, `#/patients/${patientId}/live`);
    const inForce = page.getByTestId('placement-in-force');
    const expected = /^In force now: Sectors: only where I choose: .+\.$/;
    await expect.poll(() => inForce.textContent(), { timeout: 20_000 }).toMatch(expected);
    expect(await page.getByTestId('control-placement-mode').inputValue()).toBe('sector');
    const unusual = page
      .getByTestId('trial-feed')
      .locator('[data-trial-number="1"]')
      .getByTestId('trial-unusual');
    await unusual.waitFor({ timeout: 10_000 });
    expect(await unusual.textContent()).toMatch(/^Unusual for this patient: movement time 3\.00 s/);
    // The alert that reach raised while nobody watched is among the alerts too (stored, fetched).
    const abnormalAlert = page.getByTestId('alert-abnormal_trial');
    await abnormalAlert.waitFor({ timeout: 10_000 });
    expect(await abnormalAlert.textContent()).toMatch(
      /^Note: A reach unusual for this patient: movement time 3\.00 s/,
    );
    await page.screenshot({ path: resolve(OUTPUT, 'live-placement-flags.png'), fullPage: true });

    // Reloaded mid-session: the same, from the server's live state and the catch-up.
    await page.reload();
    await expect.poll(() => inForce.textContent(), { timeout: 20_000 }).toMatch(expected);
    await unusual.waitFor({ timeout: 10_000 });
    await abnormalAlert.waitFor({ timeout: 10_000 });
    expect(
      await page.getByTestId('alerts').locator('[data-testid=alert-abnormal_trial]').count(),
    ).toBe(1);

    // A change the headset applies shows as the mode in force once its state says so.
    await page.getByTestId('control-placement-mode').selectOption('focus');
    await page.getByTestId('apply-placement').click();
    await expect
      .poll(() => page.getByTestId('control-status-setPlacement').textContent(), {
        timeout: 10_000,
      })
      .toMatch(/applied/i);
    device.emit('session:state', makeState(sessionId, { placement: { mode: 'focus' } }));
    await expect
      .poll(() => inForce.textContent(), { timeout: 10_000 })
      .toBe('In force now: Focus: more where the patient does less well.');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
