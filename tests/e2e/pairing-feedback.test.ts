import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../support/browser';
import { api, createPatient } from '../support/clinic';
import { startServer, type RunningServer } from '../support/server';
import { openDashboard, signIn } from './pages';

/** Records what the page speaks; a stub engine where the browser has none. */
const CAPTURE_SPEECH = () => {
  const spoken: string[] = [];
  (window as unknown as { __spoken: string[] }).__spoken = spoken;
  if (typeof window.SpeechSynthesisUtterance === 'undefined') {
    (window as unknown as { SpeechSynthesisUtterance: unknown }).SpeechSynthesisUtterance = class {
      rate = 1;
      constructor(readonly text: string) {}
    };
  }
  const engine = { speak: (u: { text: string }) => spoken.push(u.text), cancel: () => undefined };
  Object.defineProperty(window, 'speechSynthesis', { value: engine, configurable: true });
};

describe('pairing says what happened, where it is looked for', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    server = await startServer();
    // A headset-sized window: what is below 600 px is below the fold.
    browser = await launchBrowser({ viewport: { width: 800, height: 600 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the dashboard shows a used code as used, naming the headset it paired', async () => {
    const login = await signIn(server, 'pairing-used');
    const patient = await createPatient(server.url, login.token, 'USED-1');
    const dashboard = await browser.context.newPage();
    await openDashboard(dashboard, server, login, `#/patients/${patient.id}`);
    await dashboard.getByRole('button', { name: 'Show pairing code' }).click();
    const code = (await dashboard.getByTestId('pairing-code').textContent())!.trim();
    const status = dashboard.getByTestId('pairing-status');
    expect(await status.textContent()).toMatch(/^Valid for (9:5\d|10:00)$/);
    await expect
      .poll(() => dashboard.getByTestId('connection-status').textContent())
      .toBe('connected');

    const headset = await browser.context.newPage();
    await headset.goto(`${server.url}/?code=${code}&automation=1`);
    await headset.getByTestId('pair-button').click();
    await headset.getByTestId('start-paired').waitFor();

    const devices = await api<{ devices: { id: string }[] }>(
      server.url,
      'GET',
      `/api/patients/${patient.id}/devices`,
      login.token,
    );
    const deviceId = devices.body.devices[0]!.id;
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 10_000 }).toBe('used');
    const text = (await status.textContent())!;
    expect(text).toContain(`Used: paired headset ${deviceId.slice(0, 8)} at `);
    expect(text).not.toContain('Valid for');
    // The paired list names the same headset, without a manual refresh.
    await expect
      .poll(() => dashboard.locator(`li[data-device-id="${deviceId}"]`).textContent())
      .toContain(`headset ${deviceId.slice(0, 8)}: paired`);
    // Still "used" a few seconds on: no countdown takes over again.
    await dashboard.waitForTimeout(1500);
    expect(await status.getAttribute('data-state')).toBe('used');
    await headset.close();
    await dashboard.close();
  });

  it('a wrong code is answered next to the field, in large text, and spoken', async () => {
    const headset = await browser.context.newPage();
    await headset.addInitScript(CAPTURE_SPEECH);
    await headset.goto(`${server.url}/?automation=1`);
    // The first test paired this browser profile: unpaired again, as a new headset.
    await headset.evaluate(() => localStorage.clear());
    await headset.reload();
    await headset.getByTestId('pair-code').fill('000000');
    await headset.getByTestId('pair-button').click();
    const error = headset.getByTestId('pair-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('This code is wrong, used or expired.');
    // Tied to the field for screen readers, and right under it on screen.
    expect(await headset.getByTestId('pair-code').getAttribute('aria-describedby')).toBe(
      'pair-error',
    );
    expect(await headset.getByTestId('pair-code').getAttribute('aria-invalid')).toBe('true');
    const field = (await headset.getByTestId('pair-code').boundingBox())!;
    const box = (await error.boundingBox())!;
    expect(box.y - (field.y + field.height)).toBeLessThan(40);
    expect(box.y + box.height).toBeLessThanOrEqual(600);
    const fontPx = await error.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(30);
    expect(
      await headset.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken),
    ).toEqual(['This code is wrong, used or expired.']);
    await headset.close();
  });
});
