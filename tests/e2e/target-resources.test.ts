import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectConsoleErrors, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';
import {
  nextTrial,
  reachFromRest,
  startCalibratedPractice,
  trialCountAbove,
  type V3,
} from './game-driver';

/** Touch trials that adapt: every reach lands, so the level climbs and the target shrinks. */
const GAME_URL =
  '/?automation=1&tasks=touch:8&instruction=0.3&interTrial=0.3&calibrationHold=0.4&dwell=0.6' +
  '&rest=0&seed=7&timeLimitEasy=30&timeLimitHard=30';

const resources = (page: Page) =>
  page.evaluate(() => ({
    ...window.__reachPerf!.resources(),
    renders: { ...window.__reachPerf!.renders },
  }));

/**
 * A new target each trial must not make new GPU resources: a target's material disposed at the end
 * of each trial had its shader program compiled again for the next, and geometry made to the
 * target's radius (which difficulty changes nearly every trial) was rebuilt. Both made garbage
 * that the collector cleared inside a frame. Checked by the ids three gives each program and
 * geometry: after the first two trials (first shown, first hidden) no new id appears. Nor may a
 * trial render the whole scene or world again in React (the page's status line once made the
 * scene's root follow every status change, the world its target: two a trial each, garbage and a
 * hitch on a headset).
 */
describe('targets reuse their GPU resources from trial to trial', () => {
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

  for (const world of ['plain', 'orchard'] as const) {
    it(`in the ${world} world`, async () => {
      const page = await browser.context.newPage();
      const errors = collectConsoleErrors(page);
      await startCalibratedPractice(page, `${server.url}${GAME_URL}&world=${world}`);

      const radii: number[] = [];
      let before: Awaited<ReturnType<typeof resources>> | null = null;
      for (let played = 0; played < 6; played++) {
        const trial = await nextTrial(page);
        if (played === 2) before = await resources(page);
        const target = trial.targets[0]!;
        radii.push(target.radius);
        await reachFromRest(page, 'controller-right', target.worldPosition as V3, 0.5);
        await trialCountAbove(page, trial.trials.length);
      }
      await nextTrial(page);
      const after = await resources(page);

      // the trials did change the target's size, so the case was played
      expect(new Set(radii).size).toBeGreaterThan(1);
      const compiled = after.programIds.filter((id) => !before!.programIds.includes(id));
      const made = after.geometryIds.filter((id) => !before!.geometryIds.includes(id));
      expect({ compiled, made }).toEqual({ compiled: [], made: [] });
      expect(after.renders).toEqual(before!.renders);
      expect(after.renders.world).toBe(world === 'plain' ? undefined : 1);
      expect(errors).toEqual([]);
      await page.close();
    }, 240_000);
  }
});
