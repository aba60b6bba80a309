import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { OUT_OF_DATE_MESSAGE } from '../../client/patient/net/connection';
import { login } from '../support/server';
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
import { APP_THERAPIST, pairInstalledHeadset, workerStates } from './offline-driver';

const GAME_PARAMS =
  '&automation=1&tasks=touch:3&instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=9' +
  '&timeLimitEasy=30&timeLimitHard=30';
const BUILD = resolve(import.meta.dirname, '../../dist/client');

async function call<T>(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

/**
 * Deploys "version B" of the build served from `dir`: its page carries a marker, and its worker
 * precaches that page under the new revision (what a real rebuild changes for the page).
 */
function deployVersionB(dir: string): void {
  const page = readFileSync(join(dir, 'index.html'), 'utf8').replace(
    '</head>',
    '<meta name="reach-version" content="B"></head>',
  );
  const revision = createHash('md5').update(page).digest('hex');
  const worker = readFileSync(join(dir, 'sw.js'), 'utf8');
  const updated = worker.replace(
    /url:"index\.html",revision:"[0-9a-f]+"/,
    `url:"index.html",revision:"${revision}"`,
  );
  expect(updated).not.toBe(worker);
  writeFileSync(join(dir, 'index.html'), page);
  writeFileSync(join(dir, 'sw.js'), updated);
}

const pageVersion = (page: Page) =>
  page.evaluate(
    () => document.querySelector<HTMLMetaElement>('meta[name="reach-version"]')?.content ?? 'A',
  );

async function newPatientCode(url: string, token: string, code: string): Promise<string> {
  const patient = await call<{ id: string }>(url, token, 'POST', '/api/patients', {
    code,
    label: code,
    affectedArm: 'right',
    posture: 'seated',
    notes: '',
  });
  const pairing = await call<{ code: string }>(
    url,
    token,
    'POST',
    `/api/patients/${patient.id}/pairing-code`,
    {},
  );
  return pairing.code;
}

async function playTrial(page: Page) {
  const before = (await gameState(page)).trials.length;
  const s = await nextTrial(page);
  if (s.status === 'ended') return;
  await page.waitForTimeout(300);
  await reachFromRest(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.6);
  await trialCountAbove(page, before);
}

describe('a new version of the installed app', () => {
  let clientDir = '';
  const clinic = useGameClinic(APP_THERAPIST, {
    // A copy of the build, so that the test can deploy a new version into it.
    env: () => {
      clientDir = mkdtempSync(join(tmpdir(), 'reach-client-'));
      cpSync(BUILD, clientDir, { recursive: true });
      return { CLIENT_DIR: clientDir };
    },
    cleanUp: () => {
      if (clientDir !== '') rmSync(clientDir, { recursive: true, force: true });
    },
  });

  it(
    'installs beside a running session and is taken at the next start of the app, not at a reload',
    { timeout: 300_000 },
    async () => {
      const { server, browser } = clinic;
      const { token, headset: page } = await pairInstalledHeadset(clinic, 'P-UPD', GAME_PARAMS);

      // The app started again, from its worker (version A), and a session runs.
      await page.reload();
      await page.getByTestId('start-paired').click();
      await page.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
      expect(await workerStates(page)).toMatchObject({ controlled: true, waiting: null });
      expect(await pageVersion(page)).toBe('A');
      await page.evaluate(() => window.__reach!.enterVR());
      await skipRatingPrompts(page);
      await page.waitForFunction(() => window.__reach!.getState().status === 'calibrating');
      await calibrate(page, { forward: 0.5, outward: 0.45, up: 0.35, across: 0.25 });
      const sessionId = (await gameState(page)).sessionId;
      await playTrial(page);
      await page.evaluate(() => ((window as { runningPage?: true }).runningPage = true));

      // Version B is deployed and found while the session runs: it installs and waits.
      deployVersionB(clientDir);
      await page.evaluate(async () => {
        await (await navigator.serviceWorker.getRegistration())!.update();
      });
      await expect
        .poll(async () => (await workerStates(page)).waiting, { timeout: 60_000 })
        .toBe('installed');
      await page.waitForTimeout(1500); // workbox-window reports 'waiting' 200 ms after install
      expect(await workerStates(page)).toMatchObject({
        controlled: true,
        controllerIsActive: true,
        waiting: 'installed',
      });
      expect(await page.evaluate(() => (window as { runningPage?: true }).runningPage)).toBe(true);
      await playTrial(page);
      expect((await gameState(page)).sessionId).toBe(sessionId);

      // A reload mid-session is not a new start: the page comes back on version A, and the
      // session is played to its end on it.
      await page.reload();
      await page.getByTestId('start-paired').waitFor();
      await page.waitForTimeout(1500);
      expect(await pageVersion(page)).toBe('A');
      expect((await workerStates(page)).waiting).toBe('installed');
      await page.getByTestId('start-paired').click();
      await page.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
      await page.evaluate(() => window.__reach!.enterVR());
      await skipRatingPrompts(page);
      // The rest of the plan (a trial under way at the reload is played again).
      for (let i = 0; i < 4 && (await gameState(page)).status !== 'ended'; i++)
        await playTrial(page);
      await page.waitForFunction(() => window.__reach!.getState().status === 'ended', null, {
        timeout: 30_000,
      });
      expect(await pageVersion(page)).toBe('A');
      await page.waitForFunction(() => window.__reach!.getState().outboxLength === 0, null, {
        timeout: 30_000,
      });
      // What the session recorded reached the server once each.
      const stored = await call<{ trials: { trialNumber: number }[] }>(
        server.url,
        token,
        'GET',
        `/api/sessions/${sessionId}`,
      );
      const numbers = stored.trials.map((t) => t.trialNumber);
      expect(numbers.slice(0, 2)).toEqual([1, 2]);
      expect(new Set(numbers).size).toBe(numbers.length);

      // A reload after the session is not a start either.
      await page.reload();
      await page.getByTestId('start-paired').waitFor();
      await page.waitForTimeout(1500);
      expect(await pageVersion(page)).toBe('A');

      // The next start: the app is closed and opened again, and runs version B.
      await page.close();
      const next = await browser.context.newPage();
      await next.goto(`${server.url}/`);
      await next.getByTestId('start-paired').waitFor();
      expect(await pageVersion(next)).toBe('B');
      expect(await workerStates(next)).toMatchObject({
        controlled: true,
        controllerIsActive: true,
        waiting: null,
      });
      await next.close();
    },
  );

  it(
    'still refuses a server of another protocol version, with a clear message',
    { timeout: 120_000 },
    async () => {
      const { server, browser } = clinic;
      const token = await login(server.url, APP_THERAPIST, PASSWORD);
      const code = await newPatientCode(server.url, token, 'P-VER');
      const page = await browser.context.newPage();
      // This browser's headset may be paired already (by the test above): paired anew here.
      await page.goto(`${server.url}/`);
      const unpair = page.getByRole('button', { name: 'Unpair this headset' });
      if (await unpair.isVisible()) await unpair.click();
      // The server sees another protocol version in the handshake than the page's.
      await page.routeWebSocket(/\/socket\.io\//, (ws) => {
        const upstream = ws.connectToServer();
        ws.onMessage((message) =>
          upstream.send(
            typeof message === 'string'
              ? message.replace(/"protocolVersion":\d+/, '"protocolVersion":9999')
              : message,
          ),
        );
      });
      await page.goto(`${server.url}/?code=${code}${GAME_PARAMS}`);
      expect((await workerStates(page)).controlled).toBe(true);
      await page.getByTestId('pair-button').click();
      await expect
        .poll(() => page.getByTestId('connection-refusal').textContent(), { timeout: 30_000 })
        .toBe(OUT_OF_DATE_MESSAGE);
      expect(await page.getByTestId('connection-status').getAttribute('data-state')).toBe(
        'offline',
      );
      await page.close();
    },
  );
});
