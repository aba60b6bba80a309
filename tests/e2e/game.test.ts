import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { isInsideWorkspace } from '../../shared/game/workspace';
import type { Task } from '../../shared/protocol';
import type { TrialDigest } from '../../client/patient/game/store';
import { collectConsoleErrors, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';
import {
  calibrate,
  gameState,
  nextTrial,
  reachTo,
  setInputMode,
  squeeze,
  trialCountAbove,
  type Pointer,
  type V3,
  skipRatingPrompts,
} from './game-driver';

const PER_TASK = 11;
/** Trials (1-based within each task) where the patient stays still on purpose. */
const MISSES = new Set([3, 7]);
/** Touch and hold trials from this one on are done with a tracked hand. */
const HANDS_FROM = 6;
const REACTION_MS = 300;

const GAME_URL =
  `/?automation=1&tasks=touch:${PER_TASK},hold:${PER_TASK},grasp:${PER_TASK}` +
  '&instruction=0.3&interTrial=0.3&calibrationHold=0.4&dwell=0.6&rest=1&seed=42' +
  // Generous limits: the emulator renders a few frames per second on a loaded 2-core machine.
  '&timeLimitEasy=10&timeLimitHard=5';

async function playTrial(
  page: Page,
  task: Task,
  index: number,
  pointer: Pointer,
  errors: string[],
) {
  const s = await nextTrial(page);
  expect(s.task).toBe(task);
  const done = s.trials.length;
  if (!MISSES.has(index)) {
    await page.waitForTimeout(REACTION_MS);
    if (task === 'grasp') {
      const object = s.targets.find((t) => t.kind === 'object')!;
      const goal = s.targets.find((t) => t.kind === 'goal')!;
      await reachTo(page, pointer, object.worldPosition as V3, 0.5);
      await squeeze(page, 1);
      await page.waitForTimeout(100);
      await reachTo(page, pointer, goal.worldPosition as V3, 0.6);
      await squeeze(page, 0);
    } else {
      await reachTo(page, pointer, s.targets[0]!.worldPosition as V3, 0.6);
    }
  }
  try {
    const after = await trialCountAbove(page, done);
    return after.trials.at(-1)!;
  } catch (error) {
    const stuck = await gameState(page);
    const { trials: _trials, ...rest } = stuck;
    throw new Error(`${task} trial ${index} stuck: ${JSON.stringify(rest)} ${errors.join('\n')}`, {
      cause: error,
    });
  }
}

function expectDifficultyFollows(trial: TrialDigest) {
  const step = trial.levelAfter - trial.levelBefore;
  if (trial.outcome === 'hit') {
    expect(step).toBe(Math.min(2, 100 - trial.levelBefore));
    expect(trial.reason).toMatch(/a hit; difficulty/);
  } else {
    expect(step).toBe(-Math.min(6, trial.levelBefore));
    expect(trial.reason).toMatch(/a miss/);
  }
}

describe('the patient game in the emulated headset', () => {
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

  // 33 trials at the emulator's pace on a shared 2-core machine: minutes, not seconds.
  it(
    'calibrates, then plays touch, hold and grasp with adaptive difficulty',
    { timeout: 420_000 },
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

      await calibrate(page, { forward: 0.55, outward: 0.5, up: 0.4, across: 0.3 });
      const calibrated = await gameState(page);
      expect(calibrated.workspace?.reach.forward).toBeCloseTo(0.55, 2);
      expect(calibrated.workspace?.reach.outward).toBeCloseTo(0.5, 2);
      expect(calibrated.workspace?.reach.up).toBeCloseTo(0.4, 2);
      expect(calibrated.workspace?.reach.across).toBeCloseTo(0.3, 2);

      const played: TrialDigest[] = [];
      for (const task of ['touch', 'hold', 'grasp'] as const) {
        for (let i = 1; i <= PER_TASK; i++) {
          const useHand = task !== 'grasp' && i >= HANDS_FROM;
          const mode = (await gameState(page)).inputMode;
          if (useHand && mode !== 'hands') await setInputMode(page, 'hand');
          if (!useHand && mode === 'hands') await setInputMode(page, 'controller');
          const trial = await playTrial(
            page,
            task,
            i,
            useHand ? 'hand-right' : 'controller-right',
            errors,
          );
          played.push(trial);
          if (task === 'hold' && i === 2)
            await page.screenshot({ path: 'test-output/game-vr.png' });
        }
      }

      const state = await gameState(page);
      expect(state.trials).toHaveLength(3 * PER_TASK);
      for (const [n, trial] of played.entries()) {
        const index = (n % PER_TASK) + 1;
        expect(trial.outcome, `trial ${trial.trialNumber}`).toBe(
          MISSES.has(index) ? 'miss_not_reached' : 'hit',
        );
        expectDifficultyFollows(trial);
        expect(trial.insideWorkspace).toBe(true);
        expect(isInsideWorkspace(state.workspace!, trial.target)).toBe(true);
        if (trial.outcome === 'hit') expect(trial.tContact).toBeGreaterThan(0.2);
      }
      // Metrics are plausible wherever the clinical core trusts them; a null comes with a flag
      // (e.g. tracking_loss when the loaded emulator drops frames), never silently.
      const hitTrials = played.filter((t) => t.outcome === 'hit');
      const measured = hitTrials.filter((t) => t.movementTime !== null);
      for (const t of hitTrials)
        if (t.movementTime === null)
          expect(t.flags.length, `trial ${t.trialNumber}`).toBeGreaterThan(0);
      expect(measured.length, JSON.stringify(hitTrials.map((t) => t.flags))).toBeGreaterThanOrEqual(
        Math.ceil(hitTrials.length * 0.7),
      );
      for (const t of measured) {
        expect(t.movementTime).toBeGreaterThan(0);
        expect(t.pathRatio).toBeGreaterThanOrEqual(1);
      }
      // Levels move as the rule says: +2 per hit, -6 per miss, chained trial to trial.
      for (let i = 1; i < played.length; i++)
        expect(played[i]!.levelBefore).toBe(played[i - 1]!.levelAfter);
      const hits = played.filter((t) => t.outcome === 'hit').length;
      expect(played.at(-1)!.levelAfter).toBe(50 + 2 * hits - 6 * (played.length - hits));

      await page.waitForFunction(() => window.__reach!.getState().status === 'ended');
      const ended = await gameState(page);
      expect(ended.summary?.trials).toBe(3 * PER_TASK);
      expect(ended.summary?.hits).toBe(hits);
      expect(errors.filter((e) => !e.includes('speechSynthesis'))).toEqual([]);
      await page.close();
    },
  );
});

mkdirSync('test-output', { recursive: true });
