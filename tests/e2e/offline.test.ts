import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIFFICULTY } from '../../shared/clinical';
import { collectConsoleErrors } from '../support/browser';
import { login, startServer } from '../support/server';
import {
  calibrate,
  gameState,
  nextTrial,
  reachFromRest,
  trialCountAbove,
  type V3,
  skipRatingPrompts,
  useGameClinic,
} from './game-driver';
import { PASSWORD } from '../support/clinic';
import { APP_THERAPIST, cachedUrls, pairInstalledHeadset } from './offline-driver';

// No `tasks=`: the session plays the patient's own plan, as the headset cached it.
const GAME_PARAMS =
  '&automation=1&instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=5' +
  '&timeLimitEasy=10&timeLimitHard=5';
const TRIALS = 3;
const START_LEVEL = 64;
const PLAN = {
  tasks: [{ task: 'touch', sets: 1, repetitions: TRIALS }],
  // The trials counted below are the plan's alone.
  assessment: false,
  restSeconds: 0,
  maxMinutes: 20,
  arm: 'right',
  difficulty: { left: DEFAULT_DIFFICULTY, right: DEFAULT_DIFFICULTY },
  startLevel: { left: 50, right: START_LEVEL },
};

async function call<T>(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

type Detail = {
  session: { endedAt: string | null; endReason: string | null };
  trials: { trialNumber: number; outcome: string; levelBefore: number }[];
  ratings: { setIndex: number; skipped: boolean }[];
};

describe('the installed patient app without network', () => {
  const clinic = useGameClinic(APP_THERAPIST, {
    cleanUp: (server) => rmSync(server.dataDir, { recursive: true, force: true }),
  });

  it(
    'starts offline after one online pairing, plays its cached plan in full, and delivers every trial once when back online',
    { timeout: 300_000 },
    async () => {
      let { server } = clinic;
      const { browser } = clinic;
      // The one online visit: pairing only (no game started).
      let errors: string[] = [];
      const { headset: page } = await pairInstalledHeadset(clinic, 'P-OFF', GAME_PARAMS, {
        plan: PLAN,
        watch: (headset) => (errors = collectConsoleErrors(headset)),
      });
      await page.waitForFunction(() => localStorage.getItem('reach.deviceProfile') !== null);

      // The dashboard, online, beside the app: the worker lets it through and keeps none of it.
      const dashboard = await browser.context.newPage();
      await dashboard.goto(`${server.url}/therapist/`);
      await dashboard.locator('#root *').first().waitFor();

      const cached = (await cachedUrls(page)).map((u) => new URL(u));
      const paths = cached.map((u) => u.pathname);
      expect(cached.every((u) => u.origin === server.url)).toBe(true);
      expect(paths.filter((p) => /^\/(therapist|api|socket\.io|healthz)(\/|$)/.test(p))).toEqual(
        [],
      );
      // The page, the game (rapier's WebAssembly is inline in its chunk), the in-VR font, the
      // sounds, the icons and the Quest's controller and hand layouts.
      for (const wanted of [
        '/index.html',
        '/fonts/DejaVuSans-Bold.ttf',
        '/sounds/contact.wav',
        '/sounds/success.wav',
        '/icons/icon-192.png',
        '/manifest.webmanifest',
        '/xr-profiles/profilesList.json',
        '/xr-profiles/meta-quest-touch-plus/profile.json',
        '/xr-profiles/meta-quest-touch-plus/right.glb',
        '/xr-profiles/generic-hand/right.glb',
      ])
        expect(paths, wanted).toContain(wanted);
      expect(paths.some((p) => /^\/assets\/GameApp-.*\.js$/.test(p))).toBe(true);
      expect(paths.some((p) => /^\/assets\/therapist-/.test(p))).toBe(false);

      // The network goes: the browser is offline and the server is gone.
      await browser.context.setOffline(true);
      await server.kill();
      // Not served by the worker: the dashboard needs the network.
      await expect(dashboard.reload()).rejects.toThrow();
      await dashboard.close();

      // The headset starts the app again and plays the whole plan.
      await page.reload();
      await page.getByTestId('start-paired').waitFor();
      expect(await page.getByTestId('connection-status').textContent()).toBe('offline');
      await page.getByTestId('start-paired').click();
      await page.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
      await page.evaluate(() => window.__reach!.enterVR());
      await skipRatingPrompts(page);
      await page.waitForFunction(() => window.__reach!.getState().status === 'calibrating');
      // Controllers appear only with their layouts (from the cache).
      await calibrate(page, { forward: 0.5, outward: 0.45, up: 0.35, across: 0.25 });
      const sessionId = (await gameState(page)).sessionId;
      for (let done = 0; done < TRIALS; done++) {
        const s = await nextTrial(page);
        if (done === 0) expect(s.level).toBe(START_LEVEL);
        await page.waitForTimeout(300);
        await reachFromRest(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.6);
        await trialCountAbove(page, done);
      }
      await page.waitForFunction(() => window.__reach!.getState().status === 'ended', null, {
        timeout: 30_000,
      });
      const played = (await gameState(page)).trials.map((t) => [t.trialNumber, t.outcome]);
      expect(played.map(([n]) => n)).toEqual([1, 2, 3]);
      // The end scene works offline, from the history cached with the plan (empty: the first).
      expect((await gameState(page)).endOfSession).toMatchObject({
        reaches: TRIALS,
        completedSessions: 1,
        daysInARow: 1,
        personalBest: { kind: 'first-session' },
      });
      // session:start, calibration:save, the trials, the set's rating (skipped) and session:end,
      // all kept.
      await expect
        .poll(async () => (await gameState(page)).outboxLength, { timeout: 10_000 })
        .toBe(TRIALS + 4);

      // The network comes back: the server on the same address and data, the browser online.
      server = clinic.server = await startServer({ dataDir: server.dataDir, port: server.port });
      await browser.context.setOffline(false);
      const again = await login(server.url, APP_THERAPIST, PASSWORD);
      const detail = () => call<Detail>(server.url, again, 'GET', `/api/sessions/${sessionId}`);
      await page.waitForFunction(() => window.__reach!.getState().outboxLength === 0, null, {
        timeout: 60_000,
        polling: 250,
      });
      // Nothing more arrives late (a duplicate would).
      await page.waitForTimeout(2000);
      const stored = await detail();
      expect(stored.trials.map((t) => [t.trialNumber, t.outcome])).toEqual(played);
      expect(stored.trials[0]!.levelBefore).toBe(START_LEVEL);
      expect(stored.session.endReason).toBe('plan_complete');
      expect(stored.ratings.map((r) => [r.setIndex, r.skipped])).toEqual([[0, true]]);

      // The only errors: requests the browser refused while offline (none from a missing file).
      expect(errors.filter((e) => !e.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
      await page.close();
    },
  );
});
