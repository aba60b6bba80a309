import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../support/browser';
import { addTherapist, login, startServer, type RunningServer } from '../support/server';
import {
  calibrate,
  gameState,
  nextTrial,
  reachTo,
  trialCountAbove,
  type V3,
  skipRatingPrompts,
} from './game-driver';

const GAME_PARAMS =
  '&automation=1&tasks=touch:5&instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=11' +
  '&timeLimitEasy=8&timeLimitHard=5';

async function api<T>(url: string, token: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${path}: ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

type Detail = { trials: { trialNumber: number; outcome: string; levelAfter: number }[] };

describe('records played while the server is down', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;
  let dataDir = '';

  beforeAll(async () => {
    server = await startServer();
    dataDir = server.dataDir;
    await addTherapist(server, 'dr-ames', 'correct horse battery staple');
    browser = await launchBrowser({ viewport: { width: 800, height: 600 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'survive a page reload and reach the server exactly once when it comes back',
    { timeout: 300_000 },
    async () => {
      const password = 'correct horse battery staple';
      const token = await login(server.url, 'dr-ames', password);
      const patient = await api<{ id: string }>(server.url, token, '/api/patients', {
        code: 'P-031',
        label: 'Patient 31',
        affectedArm: 'right',
        posture: 'seated',
        notes: '',
      });
      const { code } = await api<{ code: string }>(
        server.url,
        token,
        `/api/patients/${patient.id}/pairing-code`,
        {},
      );

      const page = await browser.context.newPage();
      // The test decides whether the page's sockets reach the server. Routed before the first
      // load: Playwright patches WebSocket in documents loaded after routing.
      let socketsAllowed = true;
      await page.routeWebSocket(/\/socket\.io\//, (ws) => {
        if (socketsAllowed) ws.connectToServer();
        else void ws.close();
      });

      await page.goto(`${server.url}/?code=${code}${GAME_PARAMS}`);
      await page.getByTestId('pair-button').click();
      await page.getByTestId('start-paired').click();
      await page.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
      await page.evaluate(() => window.__reach!.enterVR());
      // This test is about other things: every set-end rating prompt is skipped.
      await skipRatingPrompts(page);
      await page.waitForFunction(() => window.__reach!.getState().status === 'calibrating');
      await calibrate(page, { forward: 0.5, outward: 0.45, up: 0.35, across: 0.25 });
      const sessionId = (await gameState(page)).sessionId;

      // Trial 1 while connected.
      let s = await nextTrial(page);
      await page.waitForTimeout(300);
      await reachTo(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.6);
      await trialCountAbove(page, 0);
      // Delivered means stored on the server: the outbox may look empty before its first write.
      const storedTrialNumbers = async () => {
        try {
          const stored = await api<Detail>(server.url, token, `/api/sessions/${sessionId}`);
          return stored.trials.map((t) => t.trialNumber);
        } catch {
          return [];
        }
      };
      await expect.poll(storedTrialNumbers, { timeout: 30_000, interval: 250 }).toEqual([1]);
      await page.waitForFunction(() => window.__reach!.getState().outboxLength === 0, null, {
        timeout: 30_000,
      });

      // The server dies; trials 2 and 3 are played without it.
      socketsAllowed = false;
      await server.kill();
      await page.waitForFunction(
        () => document.querySelector('[data-testid=connection-status]')?.textContent === 'offline',
        null,
        { timeout: 30_000 },
      );
      for (const done of [1, 2]) {
        s = await nextTrial(page);
        await page.waitForTimeout(300);
        await reachTo(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.6);
        await trialCountAbove(page, done);
      }
      // Written to IndexedDB asynchronously, and not sent.
      await expect
        .poll(async () => (await gameState(page)).outboxLength, { timeout: 10_000 })
        .toBeGreaterThanOrEqual(2);
      // The patient holds B to pause (a 4th trial may have timed out by now), so no trial ends
      // between this snapshot and the reload.
      await page.evaluate(() =>
        window.__reach!.device.controllers.right!.updateButtonValue('b-button', 1),
      );
      await page.waitForFunction(() => window.__reach!.getState().status === 'paused', null, {
        timeout: 15_000,
      });
      expect((await gameState(page)).pausedBy).toBe('patient');
      const played = (await gameState(page)).trials.map((t) => [t.trialNumber, t.outcome]);
      expect(played.length).toBeGreaterThanOrEqual(3);

      // The server comes back on the same port and data; the headset reloads the page (the game
      // is gone, the outbox stays in IndexedDB) but cannot reach the socket yet.
      server = await startServer({ dataDir, port: server.port });
      const again = await login(server.url, 'dr-ames', password);
      const detail = () => api<Detail>(server.url, again, `/api/sessions/${sessionId}`);
      // On a loaded machine trial 2 may time out (and be sent) before the kill: what the server
      // held when it died is trial 1 and perhaps that one, never a trial played offline.
      const storedAtCrash = (await detail()).trials.map((t) => t.trialNumber);
      expect(storedAtCrash[0]).toBe(1);
      expect(storedAtCrash.length).toBeLessThan(played.length);
      await page.reload();
      await page.getByTestId('start-paired').waitFor();
      await page.waitForTimeout(1500);
      expect((await detail()).trials.map((t) => t.trialNumber)).toEqual(storedAtCrash);

      // The socket is let through: the reloaded page resends the rest from IndexedDB.
      socketsAllowed = true;
      await expect
        .poll(async () => (await detail()).trials.length, { timeout: 60_000, interval: 500 })
        .toBe(played.length);
      // Nothing more arrives late (a duplicate would): the outbox is drained.
      await page.waitForTimeout(2000);
      const stored = (await detail()).trials.map((t) => [t.trialNumber, t.outcome]);
      expect(stored).toEqual(played);
      await page.close();
    },
  );
});
