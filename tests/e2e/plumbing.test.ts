import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectConsoleErrors, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';

// The foundation: the real server serves both pages and each reaches it.
describe('plumbing: server, patient page, therapist page', () => {
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

  it('serves the patient page, which reports the server reachable', async () => {
    const page = await browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(`${server.url}/?automation=1`);
    const status = page.getByTestId('connection-status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('connected');
    await expect.poll(() => page.getByTestId('start-practice').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('serves the therapist page, which connects', async () => {
    const page = await browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(`${server.url}/therapist/`);
    const status = page.getByTestId('connection-status');
    await expect.poll(() => status.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});
