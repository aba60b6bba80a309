import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api, PASSWORD } from '../support/clinic';
import { login, type RunningServer } from '../support/server';
import {
  gameState,
  nextTrial,
  reachTo,
  startPairedGame,
  startPairedGameWithPlan,
  trialCountAbove,
  useGameClinic,
  type V3,
} from './game-driver';

/**
 * The outbox writes to IndexedDB asynchronously while the resume snapshot is written to local
 * storage at once: a page torn down between the two (a reload, a killed tab, a flat battery)
 * used to resume after a trial, or forget a session's end, that no queue held any more. Here
 * every outbox write is aborted before it commits, as a page going away aborts it.
 */

const PARAMS =
  '&automation=1&instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=7' +
  '&timeLimitEasy=8&timeLimitHard=5';

type Detail = {
  session: { endReason: string | null };
  trials: { trialNumber: number; outcome: string }[];
};

async function sessionDetail(server: RunningServer, token: string, sessionId: string) {
  const { status, body } = await api<Detail>(
    server.url,
    'GET',
    `/api/sessions/${sessionId}`,
    token,
  );
  return status === 200 ? body : null;
}

async function hitNextTrial(page: Page) {
  const before = (await gameState(page)).trials.length;
  const s = await nextTrial(page);
  await page.waitForTimeout(300);
  await reachTo(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.6);
  await trialCountAbove(page, before);
}

/** From now on this page's IndexedDB writes are aborted before they commit (until it reloads). */
const abortOutboxWrites = (page: Page) =>
  page.evaluate(() => {
    const add = IDBObjectStore.prototype.add;
    IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args) {
      const request = add.apply(this, args);
      this.transaction.abort();
      return request;
    } as typeof add;
    // The outbox's own promise fails: expected here, not an error of the test.
    addEventListener('unhandledrejection', (event) => event.preventDefault());
  });

describe('a headset page torn down before its outbox write committed', () => {
  const clinic = useGameClinic('dr-durable');
  /** A paired headset in its session, calibrated, playing `tasks`. */
  const playing = async (patientCode: string, tasks: string) => {
    const token = await login(clinic.server.url, clinic.username, PASSWORD);
    const { page: headset } = await startPairedGameWithPlan(
      clinic.browser.context,
      clinic.server.url,
      token,
      patientCode,
      `${PARAMS}&tasks=${tasks}`,
    );
    const sessionId = (await gameState(headset)).sessionId;
    return { server: clinic.server, token, headset, sessionId };
  };

  it(
    'still delivers the trial its resume snapshot counts, once',
    { timeout: 300_000 },
    async () => {
      const { server, token, headset, sessionId } = await playing('P-081', 'touch:6');
      const stored = async () =>
        (await sessionDetail(server, token, sessionId))?.trials.map((t) => [
          t.trialNumber,
          t.outcome,
        ]) ?? [];

      await hitNextTrial(headset);
      await expect.poll(stored, { timeout: 30_000, interval: 250 }).toEqual([[1, 'hit']]);

      await abortOutboxWrites(headset);
      await hitNextTrial(headset);
      // The snapshot counts trial 2; no queue holds it, and the server never got it.
      await headset.waitForFunction(() => {
        const raw = localStorage.getItem('reach.resumableSession');
        return raw !== null && (JSON.parse(raw) as { trialsDone: number }).trialsDone === 2;
      });
      await headset.waitForTimeout(1000);
      expect(await stored()).toEqual([[1, 'hit']]);

      await headset.reload();
      await startPairedGame(headset);
      // The same session, after trial 2 (as its snapshot says), and trial 2 reaches the server.
      const resumed = await nextTrial(headset);
      expect([resumed.sessionId, resumed.trialNumber]).toEqual([sessionId, 3]);
      await expect.poll(stored, { timeout: 30_000, interval: 250 }).toEqual([
        [1, 'hit'],
        [2, 'hit'],
      ]);
      await headset.waitForTimeout(300);
      await reachTo(headset, 'controller-right', resumed.targets[0]!.worldPosition as V3, 0.6);
      await expect.poll(stored, { timeout: 30_000, interval: 250 }).toEqual([
        [1, 'hit'],
        [2, 'hit'],
        [3, 'hit'],
      ]);
      await headset.close();
    },
  );

  it(
    "still delivers the session's last trial and its end after the snapshot was cleared",
    { timeout: 300_000 },
    async () => {
      const { server, token, headset, sessionId } = await playing('P-082', 'touch:2');
      const detail = () => sessionDetail(server, token, sessionId);

      await hitNextTrial(headset);
      await expect
        .poll(async () => (await detail())?.trials.length, { timeout: 30_000, interval: 250 })
        .toBe(1);

      // The plan's last trial: the session ends, its snapshot is cleared at once.
      await abortOutboxWrites(headset);
      await hitNextTrial(headset);
      await headset.waitForFunction(() => window.__reach!.getState().status === 'ended');
      await headset.waitForFunction(() => localStorage.getItem('reach.resumableSession') === null);
      await headset.waitForTimeout(1000);
      expect((await detail())?.session.endReason).toBeNull();

      // The next page has no session to take up: it starts a new one, behind the old records.
      await headset.reload();
      await startPairedGame(headset);
      await headset.waitForFunction(
        (old) => {
          const s = window.__reach!.getState();
          return s.sessionId !== old && s.status !== 'ended';
        },
        sessionId,
        { timeout: 30_000 },
      );
      await expect
        .poll(
          async () => {
            const d = await detail();
            return [d?.session.endReason, d?.trials.map((t) => t.trialNumber)];
          },
          { timeout: 30_000, interval: 250 },
        )
        .toEqual(['plan_complete', [1, 2]]);
      await headset.close();
    },
  );
});
