import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectConsoleErrors, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';
import { calibrate, gameState, pinch, setInputMode, skipRatingPrompts } from './game-driver';

const GAME_URL =
  '/?automation=1&tasks=touch:20&instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=5' +
  '&timeLimitEasy=30&timeLimitHard=30';

describe('the patient pauses and recenters with bare hands', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser({ viewport: { width: 800, height: 600 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'a long pinch on either hand pauses, a new pinch resumes, both pinches recenter (with the large, high-contrast presets)',
    { timeout: 240_000 },
    async () => {
      const page = await browser.context.newPage();
      const errors = collectConsoleErrors(page);
      await page.goto(server.url + GAME_URL);
      // Display presets are chosen once and kept across loads; this game runs with both on.
      await page.getByTestId('preset-large').click();
      await page.getByTestId('preset-contrast').click();
      await page.reload();
      for (const id of ['preset-large', 'preset-contrast'])
        expect(await page.getByTestId(id).getAttribute('aria-pressed')).toBe('true');
      await page.getByTestId('start-practice').click();
      await page.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
      await page.evaluate(() => window.__reach!.enterVR());
      // This test is about other things: every set-end rating prompt is skipped.
      await skipRatingPrompts(page);
      await page.waitForFunction(() => window.__reach!.getState().status === 'calibrating');
      await calibrate(page, { forward: 0.5, outward: 0.45, up: 0.35, across: 0.25 });
      await page.waitForFunction(() => window.__reach!.getState().status === 'running', null, {
        timeout: 30_000,
      });
      await setInputMode(page, 'hand');

      // A short pinch does nothing; a held one pauses, and letting go does not resume.
      await pinch(page, ['left'], 1);
      await page.waitForTimeout(300);
      await pinch(page, ['left'], 0);
      await page.waitForTimeout(1800);
      expect((await gameState(page)).status).not.toBe('paused');
      await pinch(page, ['left'], 1);
      await page.waitForFunction(() => window.__reach!.getState().status === 'paused', null, {
        timeout: 15_000,
      });
      expect((await gameState(page)).pausedBy).toBe('patient');
      await pinch(page, ['left'], 0);
      await page.waitForTimeout(1000);
      expect((await gameState(page)).status).toBe('paused');
      await pinch(page, ['right'], 1);
      await page.waitForFunction(() => window.__reach!.getState().status !== 'paused', null, {
        timeout: 15_000,
      });
      await pinch(page, ['right'], 0);

      // The patient has moved 30 cm to the right; both pinches held re-anchor the play space there.
      const before = (await gameState(page)).anchor;
      await page.evaluate(() => {
        window.__reach!.device.position.x += 0.3;
      });
      await pinch(page, ['left', 'right'], 1);
      await page.waitForFunction(
        (x) => Math.abs(window.__reach!.getState().anchor.x - x - 0.3) < 0.02,
        before.x,
        { timeout: 15_000 },
      );
      await pinch(page, ['left', 'right'], 0);
      expect((await gameState(page)).status).not.toBe('paused');
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});
