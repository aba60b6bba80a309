import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { StoredSetRating } from '../../shared/protocol';
import { RATING_CSV_COLUMNS } from '../../shared/clinical';
import { collectConsoleErrors, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { api, createPatient, pairDeviceToken } from '../support/clinic';
import { startServer, type RunningServer } from '../support/server';
import { calibrate, gameState, nextTrial, rateWithController } from './game-driver';
import { openDashboard, openHeadset, signIn, type Login } from './pages';

/** Two sets of one reach each: a prompt after each. */
const GAME_QUERY =
  'tasks=touch:1,touch:1&instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=3&rest=0' +
  '&timeLimitEasy=5&timeLimitHard=5';

const waitForStatus = (page: Page, status: string, timeout = 30_000) =>
  page.waitForFunction((s) => window.__reach!.getState().status === s, status, {
    timeout,
    polling: 50,
  });

describe('the patient rates effort and pain after each set', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;
  let login: Login;

  beforeAll(async () => {
    server = await startServer();
    login = await signIn(server, 'dr-rating');
    browser = await launchBrowser({ viewport: { width: 1024, height: 768 } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'answers with the real slider, pauses for pain with an alert on the dashboard, and stores both',
    { timeout: 240_000 },
    async () => {
      const patientId = (await createPatient(server.url, login.token, 'RATE-1')).id;
      const deviceToken = await pairDeviceToken(server.url, login.token, patientId);

      const headset = await browser.context.newPage();
      const errors = collectConsoleErrors(headset);
      await openHeadset(headset, server, deviceToken);
      await headset.goto(`${server.url}/?automation=1&${GAME_QUERY}`);
      await headset.getByTestId('start-paired').click();
      await headset.waitForFunction(() => window.__reach?.ready === true, null, {
        timeout: 60_000,
      });
      await headset.evaluate(() => window.__reach!.enterVR());
      await waitForStatus(headset, 'calibrating');
      await calibrate(headset, { forward: 0.5, outward: 0.45, up: 0.35, across: 0.25 });
      const sessionId = (await gameState(headset)).sessionId;

      const dashboard = await browser.context.newPage();
      await openDashboard(dashboard, server, login, `#/patients/${patientId}/live`);
      await expect
        .poll(() => dashboard.getByTestId('headset-status').textContent(), { timeout: 20_000 })
        .toBe('connected');

      // Set 1: the reach is left to time out; then the prompt, answered with the controller's ray.
      await nextTrial(headset);
      await waitForStatus(headset, 'rating');
      expect((await gameState(headset)).rating).toEqual({ setIndex: 0, arm: 'right' });
      // The ray drags to about the value aimed at: the emulated controller's aim is not exact to
      // a half step, so the stored answer is checked within one step of each scale.
      await rateWithController(headset, { effort: 3.5, pain: 2 });
      await nextTrial(headset);
      await expect
        .poll(() => dashboard.getByTestId('rating-feed').textContent(), { timeout: 10_000 })
        .toMatch(/Set 1 \(right arm\): effort [0-9.]+ \([a-z ]+\), pain [0-9]+\/10/);

      // Set 2: pain 6, at or above the default threshold of 5: a kind pause. Answered through the
      // test handle, so the values are exact.
      await waitForStatus(headset, 'rating');
      await headset.evaluate(() => window.__reach!.rate(6, 6));
      await waitForStatus(headset, 'paused');
      const paused = await gameState(headset);
      expect(paused.pausedBy).toBe('pain');
      await expect
        .poll(() => dashboard.getByTestId('alert-pain_reported').textContent(), {
          timeout: 10_000,
        })
        .toContain('Pain 6/10 reported after set 2 (right arm): the session is paused');

      // The stored ratings, by API and CSV.
      const storedRatings = async () =>
        (
          await api<{ ratings: StoredSetRating[] }>(
            server.url,
            'GET',
            `/api/sessions/${sessionId}`,
            login.token,
          )
        ).body.ratings ?? [];
      await expect.poll(async () => (await storedRatings()).length, { timeout: 15_000 }).toBe(2);
      const [first, second] = await storedRatings();
      expect([first!.setIndex, first!.skipped, first!.painPauseAt]).toEqual([0, false, 5]);
      expect(Math.abs(first!.effort! - 3.5)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(first!.pain! - 2)).toBeLessThanOrEqual(1);
      expect([second!.setIndex, second!.effort, second!.pain, second!.skipped]).toEqual([
        1,
        6,
        6,
        false,
      ]);
      const csv = await api<string>(
        server.url,
        'GET',
        `/api/patients/${patientId}/ratings.csv`,
        login.token,
      );
      const rows = csv.body.trimEnd().split('\r\n');
      expect(rows[0]).toBe(RATING_CSV_COLUMNS.join(','));
      expect(rows.slice(1).map((r) => r.split(',').slice(4))).toEqual([
        [
          '1',
          'right',
          expect.any(String),
          String(first!.effort),
          String(first!.pain),
          'no',
          '5',
          'no',
        ],
        ['2', 'right', expect.any(String), '6', '6', 'no', '5', 'yes'],
      ]);
      expect(errors).toEqual([]);
    },
  );
});
