import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ControlCommand } from '../../shared/protocol';
import { launchBrowser, type LaunchedBrowser } from '../support/browser';
import { api } from '../support/clinic';
import { addTherapist, login, startServer, type RunningServer } from '../support/server';
import { connect, request, type TestSocket } from '../support/sockets';
import {
  calibrate,
  gameState,
  nextTrial,
  pairFreshHeadset,
  reachTo,
  startPairedGame,
  trialCountAbove,
  type V3,
} from './game-driver';

const GAME_PARAMS =
  '&automation=1&tasks=touch:6&instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=5' +
  '&timeLimitEasy=8&timeLimitHard=5';
const USER = 'dr-live';
const PASSWORD = 'correct horse battery staple';

type Detail = { trials: { trialNumber: number; placementReason?: string }[] };

async function hitNextTrial(page: Page) {
  const before = (await gameState(page)).trials.length;
  const s = await nextTrial(page);
  await page.waitForTimeout(300);
  await reachTo(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.6);
  await trialCountAbove(page, before);
}

/**
 * The therapist changes where targets go and pauses; the headset page reloads: the resumed
 * session is still paused by the therapist, and once resumed places its targets as the therapist
 * said (the first trial placed so carries the explanation).
 */
describe('live changes across a headset reload', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;
  let therapist: TestSocket;

  beforeAll(async () => {
    server = await startServer();
    await addTherapist(server, USER, PASSWORD);
    browser = await launchBrowser({ viewport: { width: 1024, height: 768 } });
  });

  afterAll(async () => {
    therapist?.close();
    await browser?.close();
    await server?.close();
  });

  it('keeps the placement and the therapist’s pause', { timeout: 300_000 }, async () => {
    const token = await login(server.url, USER, PASSWORD);
    const { headset } = await pairFreshHeadset(
      browser.context,
      server.url,
      token,
      'P-LIVE',
      GAME_PARAMS,
    );
    await startPairedGame(headset);
    await headset.waitForFunction(() => window.__reach!.getState().status === 'calibrating');
    await calibrate(headset, { forward: 0.5, outward: 0.45, up: 0.35, across: 0.25 });
    const sessionId = (await gameState(headset)).sessionId;
    await hitNextTrial(headset);

    therapist = await connect(server.url, token);
    const control = (command: ControlCommand) =>
      request(therapist, 'control:send', { sessionId, commandId: randomUUID(), command });
    const sectors = Array.from({ length: 24 }, (_, i) => i);
    expect(
      await control({ type: 'setPlacement', placement: { mode: 'sector', sectors } }),
    ).toMatchObject({ ok: true, data: { applied: true } });
    expect(await control({ type: 'pause' })).toMatchObject({ ok: true });
    expect(await gameState(headset)).toMatchObject({ status: 'paused', pausedBy: 'therapist' });

    await headset.reload();
    await headset.getByTestId('start-paired').waitFor();
    await startPairedGame(headset);
    await headset.waitForFunction(() => window.__reach!.getState().status === 'paused', null, {
      timeout: 30_000,
    });
    // Still paused by the therapist, long after the page is back.
    await headset.waitForTimeout(2000);
    expect(await gameState(headset)).toMatchObject({
      sessionId,
      status: 'paused',
      pausedBy: 'therapist',
      trialNumber: 1,
    });
    // The server routes commands to the new page once its session:start is through.
    await expect
      .poll(async () => (await control({ type: 'resume' })).ok, { timeout: 20_000, interval: 500 })
      .toBe(true);
    await hitNextTrial(headset);

    const reasons = async () =>
      (await api<Detail>(server.url, 'GET', `/api/sessions/${sessionId}`, token)).body.trials.map(
        (t) => [t.trialNumber, t.placementReason ?? null],
      );
    await expect.poll(reasons, { timeout: 30_000, interval: 250 }).toEqual([
      [1, null],
      [2, expect.stringMatching(/^Targets only where the therapist chose/)],
    ]);
    await headset.close();
  });
});
