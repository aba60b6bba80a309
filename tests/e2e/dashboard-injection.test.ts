import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';
import {
  api,
  connect,
  createPatient,
  HOSTILE_LABEL,
  HOSTILE_NOTES,
  makeState,
  makeTrial,
  PASSWORD,
  request,
  setUpClinic,
  shutdown,
  type Clinic,
  type TestSocket,
} from '../security/harness';

/**
 * Hostile text stored by a therapist (label, notes) or sent by a headset (trial reason, live
 * instruction) is shown by the real dashboard in Chromium as text: no script runs.
 */
describe('the dashboard shows hostile text harmlessly', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;
  let clinic: Clinic;
  let patientId: string;
  let device: TestSocket;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    clinic = await setUpClinic(server, 'vera');
    patientId = (
      await createPatient(server.url, clinic.therapistToken, 'INJ-2', {
        label: HOSTILE_LABEL,
        notes: HOSTILE_NOTES,
      })
    ).id;
    // The headset of the first patient reports a trial and a live state full of markup.
    device = await connect(server.url, clinic.deviceToken);
    const sessionId = randomUUID();
    await request(device, 'session:start', {
      sessionId,
      mode: 'live',
      startedAt: new Date().toISOString(),
    });
    await request(device, 'trial:submit', { ...makeTrial(sessionId, 1), reason: HOSTILE_LABEL });
    device.emit('session:state', makeState(sessionId, { instruction: HOSTILE_LABEL }));
  });
  afterAll(async () => {
    device?.close();
    await browser?.close();
    await shutdown(server);
  });

  it('renders labels, notes, trial reasons and live instructions literally', async () => {
    const page = await browser.context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${server.url}/therapist/`);
    await page.fill('input[name="username"]', 'vera');
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');

    await expect
      .poll(() => page.getByText(HOSTILE_LABEL, { exact: true }).count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.goto(`${server.url}/therapist/#/patients/${patientId}`);
    await expect
      .poll(
        () =>
          page
            .locator('textarea[name="notes"]')
            .inputValue()
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toBe(HOSTILE_NOTES);
    await page.goto(`${server.url}/therapist/#/patients/${clinic.patientId}/live`);
    await page.waitForTimeout(1500);
    await page.goto(`${server.url}/therapist/#/patients/${clinic.patientId}/history`);
    await page.waitForTimeout(1500);

    const pwned = await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
    const injectedImages = await page.locator('img[src="x"]').count();
    const scripts = await page.evaluate(
      () => document.querySelectorAll('script:not([src])').length,
    );
    console.log(
      `[injection] dashboard: window.__pwned ${String(pwned)}, injected <img> ${injectedImages}, ` +
        `inline scripts ${scripts}, CSP reports ${violations.length}`,
    );
    expect(pwned).toBeUndefined();
    expect(injectedImages).toBe(0);
    expect(scripts).toBe(0);
    const stillThere = await api(
      server.url,
      'GET',
      `/api/patients/${patientId}`,
      clinic.therapistToken,
    );
    expect(stillThere.status).toBe(200);
    await page.close();
  });
});
