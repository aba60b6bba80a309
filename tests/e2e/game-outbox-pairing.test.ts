import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../support/browser';
import { addTherapist, login, startServer, type RunningServer } from '../support/server';
import { gameState, skipRatingPrompts } from './game-driver';

const GAME_PARAMS = '&automation=1&tasks=touch:5&instruction=0.3&interTrial=0.3&seed=11';

async function api<T>(url: string, token: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Items left in the page's IndexedDB outbox. */
const outboxItems = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('reach-outbox');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('items').objectStore('items').count();
          count.onsuccess = () => {
            resolve(count.result);
            db.close();
          };
        };
      }),
  );

describe('the outbox across pairings', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    server = await startServer();
    await addTherapist(server, 'dr-ames', 'correct horse battery staple');
    browser = await launchBrowser({ viewport: { width: 800, height: 600 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  it(
    'are never filed under the next patient the headset is paired to',
    { timeout: 180_000 },
    async () => {
      const token = await login(server.url, 'dr-ames', 'correct horse battery staple');
      const patient = async (code: string) => {
        const { body } = await api<{ id: string }>(server.url, token, '/api/patients', {
          code,
          label: code,
          affectedArm: 'right',
          posture: 'seated',
          notes: '',
        });
        const pairing = await api<{ code: string }>(
          server.url,
          token,
          `/api/patients/${body.id}/pairing-code`,
          {},
        );
        return { id: body.id, pairingCode: pairing.body.code };
      };
      const patientA = await patient('P-A');
      const patientB = await patient('P-B');
      const sessionsOf = async (patientId: string) =>
        (
          await api<{ sessions: { id: string }[] }>(
            server.url,
            token,
            `/api/patients/${patientId}/sessions`,
          )
        ).body.sessions.map((s) => s.id);

      const page = await browser.context.newPage();
      // The outbox must read one item at a time, never the whole queue with every item's samples
      // (quadratic with a large offline backlog): count whole-store reads.
      await page.addInitScript(() => {
        const getAll = IDBObjectStore.prototype.getAll;
        const counted = window as unknown as { __wholeStoreReads: number };
        counted.__wholeStoreReads = 0;
        IDBObjectStore.prototype.getAll = function (...args: Parameters<typeof getAll>) {
          counted.__wholeStoreReads += 1;
          return getAll.apply(this, args);
        };
      });
      let socketsAllowed = false;
      await page.routeWebSocket(/\/socket\.io\//, (ws) => {
        if (socketsAllowed) ws.connectToServer();
        else void ws.close();
      });

      // Paired to A, the headset starts a session offline: its session:start waits in the outbox.
      await page.goto(`${server.url}/?code=${patientA.pairingCode}${GAME_PARAMS}`);
      await page.getByTestId('pair-button').click();
      await page.getByTestId('start-paired').click();
      await page.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
      await page.evaluate(() => window.__reach!.enterVR());
      // This test is about other things: every set-end rating prompt is skipped.
      await skipRatingPrompts(page);
      await expect
        .poll(async () => (await gameState(page)).outboxLength, { timeout: 20_000 })
        .toBeGreaterThanOrEqual(1);
      const sessionOfA = (await gameState(page)).sessionId;

      // The clinic unpairs it and pairs it to B; the page is opened again, now online.
      await page.goto(`${server.url}/?${GAME_PARAMS.slice(1)}`);
      await page.getByText('Unpair this headset').click();
      await page.getByTestId('pair-code').fill(patientB.pairingCode);
      await page.getByTestId('pair-button').click();
      await page.getByTestId('start-paired').waitFor();
      socketsAllowed = true;
      await page.reload();
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid=connection-status]')?.textContent === 'connected',
        null,
        { timeout: 30_000 },
      );
      // A's record leaves the outbox without being sent.
      await expect.poll(() => outboxItems(page), { timeout: 20_000 }).toBe(0);

      // B's own session still goes out and is the only one B has; A's is nowhere.
      await page.getByTestId('start-paired').click();
      await page.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
      await page.evaluate(() => window.__reach!.enterVR());
      // This test is about other things: every set-end rating prompt is skipped.
      await skipRatingPrompts(page);
      await page.waitForFunction(() => window.__reach!.getState().sessionId !== '', null);
      const sessionOfB = (await gameState(page)).sessionId;
      expect(sessionOfB).not.toBe(sessionOfA);
      await expect.poll(() => sessionsOf(patientB.id), { timeout: 30_000 }).toEqual([sessionOfB]);
      expect(await sessionsOf(patientA.id)).toEqual([]);
      expect((await api(server.url, token, `/api/sessions/${sessionOfA}`)).status).toBe(404);
      expect(
        await page.evaluate(
          () => (window as unknown as { __wholeStoreReads: number }).__wholeStoreReads,
        ),
      ).toBe(0);
      await page.close();
    },
  );

  it(
    'delivers what a headset queued before items carried their pairing',
    { timeout: 60_000 },
    async () => {
      const token = await login(server.url, 'dr-ames', 'correct horse battery staple');
      const { body: patient } = await api<{ id: string }>(server.url, token, '/api/patients', {
        code: 'P-OLD',
        label: 'P-OLD',
        affectedArm: 'right',
        posture: 'seated',
        notes: '',
      });
      const { body: pairing } = await api<{ code: string }>(
        server.url,
        token,
        `/api/patients/${patient.id}/pairing-code`,
        {},
      );
      const paired = await fetch(`${server.url}/api/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: pairing.code }),
      });
      const { deviceToken } = (await paired.json()) as { deviceToken: string };

      // The previous version's state: a device token, and an outbox (version 1) with an unbound item.
      const page = await browser.context.newPage();
      // Unpaired first, so this page holds no outbox connection that would block replacing it.
      await page.goto(`${server.url}/?automation=1`);
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      const sessionId = '2b9c1f4e-8d3a-4c5b-9e6f-7a8b9c0d1e2f';
      await page.evaluate(
        async ({ deviceToken, sessionId }) => {
          localStorage.setItem('reach.deviceToken', deviceToken);
          await new Promise<void>((resolve, reject) => {
            indexedDB.deleteDatabase('reach-outbox');
            const open = indexedDB.open('reach-outbox', 1);
            open.onupgradeneeded = () =>
              open.result.createObjectStore('items', { keyPath: 'seq', autoIncrement: true });
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction('items', 'readwrite');
              tx.objectStore('items').add({
                kind: 'session:start',
                payload: { sessionId, mode: 'home', startedAt: new Date().toISOString() },
                attempts: 0,
              });
              tx.oncomplete = () => {
                open.result.close();
                resolve();
              };
            };
          });
        },
        { deviceToken, sessionId },
      );
      await page.reload();
      await expect
        .poll(async () => (await api(server.url, token, `/api/sessions/${sessionId}`)).status, {
          timeout: 30_000,
        })
        .toBe(200);
      await expect.poll(() => outboxItems(page), { timeout: 10_000 }).toBe(0);
      await page.close();
    },
  );
});
