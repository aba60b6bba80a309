import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { eyePoint, isInComfortableView } from '../../shared/game/view';
import type { Vec3 } from '../../shared/protocol';
import { collectConsoleErrors, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';
import { calibrate, gameState, nextTrial, skipRatingPrompts } from './game-driver';

const GAME_URL =
  '/?automation=1&tasks=touch:2&instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=3' +
  // The target must stay up while the head turns away and back: 30 s, the clinical maximum (a
  // larger value is ignored, and the default 3 s let the test pass only when it ran fast).
  '&timeLimitEasy=30&timeLimitHard=30';

/** Turns the emulated head by `yawDeg` about the vertical (positive = to the left). */
async function turnHead(page: Page, yawDeg: number) {
  const half = (yawDeg * Math.PI) / 360;
  await page.evaluate(
    (q) =>
      window.__reach!.device.remote.dispatch('set_transform', {
        device: 'headset',
        orientation: { x: 0, y: q[0], z: 0, w: q[1] },
      }),
    [Math.sin(half), Math.cos(half)],
  );
}

const pointerShown = (page: Page, shown: boolean) =>
  page.waitForFunction((s) => window.__reach!.getState().pointer.visible === s, shown, {
    timeout: 10_000,
    polling: 50,
  });

describe('targets in the comfortable view, and a pointer when the head turns away', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    mkdirSync('test-output', { recursive: true });
    server = await startServer();
    browser = await launchBrowser({ viewport: { width: 800, height: 600 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'shows the target in view, and a pointer toward it once the head turns away',
    { timeout: 180_000 },
    async () => {
      const page = await browser.context.newPage();
      const errors = collectConsoleErrors(page);
      await page.goto(server.url + GAME_URL);
      await page.getByTestId('start-practice').click();
      await page.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
      await page.evaluate(() => window.__reach!.enterVR());
      // This test is about other things: every set-end rating prompt is skipped.
      await skipRatingPrompts(page);
      await page.waitForFunction(() => window.__reach!.getState().status === 'calibrating');
      // A short reach, as after a stroke: before, easy targets landed low and right, out of view.
      await calibrate(page, { forward: 0.4, outward: 0.35, up: 0.25, across: 0.2 });

      const s = await nextTrial(page);
      expect(s.status).toBe('running');
      const target = s.targets[0]!.position as Vec3;
      expect(isInComfortableView(eyePoint(s.workspace!), target, undefined, 1e-9)).toBe(true);
      await pointerShown(page, false);
      await page.screenshot({ path: 'test-output/view-target.png' });

      await turnHead(page, 80);
      await pointerShown(page, true);
      const turned = await gameState(page);
      // Head turned 80 deg left: the target is on the head's right, and so is the pointer, 0.6 m
      // ahead of the eyes (play space is anchored on the head at the start, facing -z).
      const yaw = (80 * Math.PI) / 180;
      const [px, py, pz] = turned.pointer.position;
      const offset = [px, py - turned.headWorld[1], pz];
      const right = offset[0]! * Math.cos(yaw) - offset[2]! * Math.sin(yaw);
      const ahead = -offset[0]! * Math.sin(yaw) - offset[2]! * Math.cos(yaw);
      expect(right).toBeGreaterThan(0.15); // and a little down: the target is below eye level
      expect(ahead).toBeCloseTo(0.6, 2);
      await page.screenshot({ path: 'test-output/view-pointer.png' });

      await turnHead(page, 0);
      await pointerShown(page, false);
      expect((await gameState(page)).status).toBe('running');
      expect(errors).toEqual([]);
    },
  );
});
