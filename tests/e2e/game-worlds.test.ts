import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TrialDigest } from '../../client/patient/game/store';
import { collectConsoleErrors, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';
import {
  calibrate,
  nextTrial,
  reachFromRest,
  reachTo,
  setInputMode,
  squeeze,
  trialCountAbove,
  type V3,
  skipRatingPrompts,
} from './game-driver';

/** Shown in README: each world as the test suite sees it, from the patient's seat. */
const SCREENSHOTS = resolve(import.meta.dirname, '../../docs/screenshots');

const PLAN =
  '/?automation=1&tasks=touch:1,hold:1,grasp:1' +
  '&instruction=0.3&interTrial=0.3&calibrationHold=0.4&dwell=0.6&rest=0&seed=7' +
  '&timeLimitEasy=30&timeLimitHard=30';

/** What a trial means clinically: everything but the timings the loaded emulator jitters. */
const clinical = (t: TrialDigest) => ({
  trialNumber: t.trialNumber,
  task: t.task,
  arm: t.arm,
  outcome: t.outcome,
  levelBefore: t.levelBefore,
  levelAfter: t.levelAfter,
  reason: t.reason.replace(/reached in [\d.]+ s/, 'reached in (time) s'),
  insideWorkspace: t.insideWorkspace,
  target: t.target.map((v) => Math.round(v * 100) / 100),
});

async function startGame(page: Page, query: string) {
  await page.goto(page.url().replace(/\/\?.*$/, '') + PLAN + query);
  await page.getByTestId('start-practice').click();
  await page.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
  await page.evaluate(() => window.__reach!.enterVR());
  await skipRatingPrompts(page);
  await page.waitForFunction(() => window.__reach!.getState().status === 'calibrating');
  await calibrate(page, { forward: 0.55, outward: 0.5, up: 0.4, across: 0.3 });
}

/**
 * One trial of each task: touch with the controller, hold with the tracked hand, grasp and place
 * with the controller. `shoot` is called while the hold target is shown.
 */
async function playEachTask(page: Page, shoot: () => Promise<void>): Promise<TrialDigest[]> {
  const touch = await nextTrial(page);
  expect(touch.task).toBe('touch');
  await reachFromRest(page, 'controller-right', touch.targets[0]!.worldPosition as V3, 0.6);
  await trialCountAbove(page, 0);

  await setInputMode(page, 'hand');
  const hold = await nextTrial(page);
  expect(hold.task).toBe('hold');
  await page.waitForTimeout(400); // the target has grown in
  await shoot();
  await reachFromRest(page, 'hand-right', hold.targets[0]!.worldPosition as V3, 0.6);
  await trialCountAbove(page, 1);

  await setInputMode(page, 'controller');
  const grasp = await nextTrial(page);
  expect(grasp.task).toBe('grasp');
  const object = grasp.targets.find((t) => t.kind === 'object')!;
  const goal = grasp.targets.find((t) => t.kind === 'goal')!;
  await reachFromRest(page, 'controller-right', object.worldPosition as V3, 0.5);
  await squeeze(page, 1);
  await page.waitForTimeout(100);
  await reachTo(page, 'controller-right', goal.worldPosition as V3, 0.6);
  await squeeze(page, 0);
  return (await trialCountAbove(page, 2)).trials;
}

describe('game worlds: the same game in every world', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;
  let plainTrials: TrialDigest[];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startServer();
    browser = await launchBrowser({ viewport: { width: 960, height: 600 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function play(world: string, query = `&world=${world}`) {
    const page = await browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(server.url + '/');
    await startGame(page, query);
    const trials = await playEachTask(page, async () => {
      await page.screenshot({ path: resolve(SCREENSHOTS, `world-${world}.png`) });
    });
    const root = await page.locator('.game-root').getAttribute('data-world');
    const message = await page.getByTestId('world-message').count();
    expect(errors.filter((e) => !e.includes('speechSynthesis'))).toEqual([]);
    await page.close();
    return { trials, root, message };
  }

  it('plays touch, hold and grasp in the plain room', { timeout: 180_000 }, async () => {
    const { trials, root } = await play('plain');
    expect(root).toBe('plain');
    expect(trials.map((t) => t.outcome)).toEqual(['hit', 'hit', 'hit']);
    plainTrials = trials;
  });

  for (const world of ['orchard', 'lantern', 'reef'] as const) {
    it(
      `plays the same trials in the ${world} world (it changes nothing clinical)`,
      { timeout: 180_000 },
      async () => {
        const { trials, root, message } = await play(world);
        expect(root).toBe(world);
        expect(message).toBe(0);
        expect(trials.map(clinical)).toEqual(plainTrials.map(clinical));
        expect(trials.map((t) => Object.keys(t).sort())).toEqual(
          plainTrials.map((t) => Object.keys(t).sort()),
        );
      },
    );
  }

  it(
    'falls back to the plain room with a message when a world throws, and the session goes on',
    { timeout: 180_000 },
    async () => {
      const page = await browser.context.newPage();
      await page.goto(server.url + '/');
      await startGame(page, '&world=orchard&worldFault=throw');
      await expect
        .poll(() => page.getByTestId('world-message').textContent())
        .toContain('could not be shown');
      expect(await page.locator('.game-root').getAttribute('data-world')).toBe('plain');
      const trials = await playEachTask(page, async () => {});
      expect(trials.map(clinical)).toEqual(plainTrials.map(clinical));
      await page.close();
    },
  );
});
