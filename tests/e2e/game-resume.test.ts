import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_PLAN } from '../../shared/clinical';
import { launchBrowser, type LaunchedBrowser } from '../support/browser';
import { PASSWORD } from '../support/clinic';
import { addTherapist, login, startServer, type RunningServer } from '../support/server';
import {
  gameState,
  nextTrial,
  reachTo,
  startPairedGame,
  startPairedGameWithPlan,
  trialCountAbove,
  type V3,
} from './game-driver';
import { signInOnDashboard } from './pages';

const GAME_PARAMS =
  '&automation=1&tasks=touch:6&instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=5' +
  '&timeLimitEasy=8&timeLimitHard=5';
const USER = 'dr-rey';

type Listed = {
  sessions: {
    id: string;
    endedAt: string | null;
    endReason: string | null;
    summary: { trials: number };
  }[];
};
type Detail = { trials: { trialNumber: number; sessionId: string }[] };

async function api<T>(
  server: RunningServer,
  token: string,
  path: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${path}: ${response.status}`).toBe(true);
  const text = await response.text();
  return (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
}

/** Plays one trial to a hit and waits until the game counted it. */
async function hitNextTrial(page: Page) {
  const before = (await gameState(page)).trials.length;
  const s = await nextTrial(page);
  await page.waitForTimeout(300);
  await reachTo(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.6);
  await trialCountAbove(page, before);
}

describe('a headset page reloaded mid-session', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    server = await startServer();
    await addTherapist(server, USER, PASSWORD);
    browser = await launchBrowser({ viewport: { width: 1024, height: 768 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The therapist signed in, and a new patient's paired headset calibrated and playing. */
  const playingHeadset = async (patientCode: string) => {
    const token = await login(server.url, USER, PASSWORD);
    const { patientId, page } = await startPairedGameWithPlan(
      browser.context,
      server.url,
      token,
      patientCode,
      GAME_PARAMS,
    );
    return { token, patient: { id: patientId }, headset: page };
  };

  it(
    'takes the same session up again where it stopped, and the dashboard can end it',
    { timeout: 300_000 },
    async () => {
      const { token, patient, headset } = await playingHeadset('P-044');
      const sessionId = (await gameState(headset)).sessionId;
      const storedTrials = async () =>
        (await api<Detail>(server, token, `/api/sessions/${sessionId}`)).trials.map((t) => [
          t.sessionId,
          t.trialNumber,
        ]);

      await hitNextTrial(headset);
      await hitNextTrial(headset);
      await expect.poll(storedTrials, { timeout: 30_000, interval: 250 }).toEqual([
        [sessionId, 1],
        [sessionId, 2],
      ]);
      const beforeReload = await gameState(headset);

      // The therapist watches from the dashboard.
      const dashboard = await browser.context.newPage();
      dashboard.on('dialog', (dialog) => void dialog.accept());
      await signInOnDashboard(dashboard, server.url, USER);
      await dashboard.goto(`${server.url}/therapist/#/patients/${patient.id}/live`);
      const headsetStatus = dashboard.getByTestId('headset-status');
      const sessionStatus = dashboard.getByTestId('session-status');
      await expect.poll(() => headsetStatus.textContent(), { timeout: 20_000 }).toBe('connected');

      // Reload: the page is back on its entry screen, its socket no longer plays the session.
      await headset.reload();
      await headset.getByTestId('start-paired').waitFor();
      await expect
        .poll(() => headsetStatus.textContent(), { timeout: 20_000 })
        .toBe('disconnected');

      // Start again: the same session, at the trial, set and level where it stopped.
      await startPairedGame(headset);
      await headset.waitForFunction(
        () => ['instructions', 'running'].includes(window.__reach!.getState().status),
        null,
        { timeout: 30_000 },
      );
      const resumed = await gameState(headset);
      expect([resumed.sessionId, resumed.trialNumber, resumed.set, resumed.level]).toEqual([
        sessionId,
        2,
        beforeReload.set,
        beforeReload.level,
      ]);
      expect(resumed.bestStreak).toBe(beforeReload.bestStreak);
      // What the world's collection shows: the session's targets reached and its streak, not this
      // page's (its own trial list starts empty).
      expect([beforeReload.hits, beforeReload.streak]).toEqual([2, 2]);
      expect([resumed.hits, resumed.streak, resumed.trials.length]).toEqual([2, 2, 0]);
      await expect.poll(() => headsetStatus.textContent(), { timeout: 20_000 }).toBe('connected');
      await expect
        .poll(() => sessionStatus.textContent(), { timeout: 20_000 })
        .toMatch(/^(Showing instructions|Running)$/);

      await hitNextTrial(headset);
      await expect.poll(storedTrials, { timeout: 30_000, interval: 250 }).toEqual([
        [sessionId, 1],
        [sessionId, 2],
        [sessionId, 3],
      ]);

      // End works on the resumed session.
      await dashboard.getByRole('button', { name: 'End session' }).click();
      await expect
        .poll(() => dashboard.getByTestId('control-status-end').textContent(), { timeout: 8000 })
        .toBe('applied on headset');
      expect((await gameState(headset)).status).toBe('ended');
      // The end scene counts every trial of the session once: two before the reload, one after.
      await headset.waitForFunction(() => window.__reach!.getState().endOfSession !== null);
      const ended = await gameState(headset);
      expect([ended.hits, ended.summary?.trials, ended.summary?.hits]).toEqual([3, 3, 3]);
      expect(ended.endOfSession).toMatchObject({ reaches: 3, hits: 3, completedSessions: 1 });
      await expect
        .poll(() => sessionStatus.textContent(), { timeout: 20_000 })
        .toBe('Ended by the therapist');

      // Exactly one session, ended by the therapist: in the API, the CSV and the history page.
      const sessions = async () =>
        (await api<Listed>(server, token, `/api/patients/${patient.id}/sessions`)).sessions.map(
          (s) => [s.id, s.endReason, s.summary.trials],
        );
      await expect
        .poll(sessions, { timeout: 30_000, interval: 250 })
        .toEqual([[sessionId, 'therapist', 3]]);
      const csv = (await api<string>(server, token, `/api/patients/${patient.id}/sessions.csv`))
        .trim()
        .split('\r\n')
        .map((line) => line.split(','));
      const column = (name: string) => csv[0]!.indexOf(name);
      expect(csv).toHaveLength(2);
      expect([csv[1]![column('session_id')], csv[1]![column('end_reason')]]).toEqual([
        sessionId,
        'therapist',
      ]);
      await dashboard.goto(`${server.url}/therapist/#/patients/${patient.id}/history`);
      const rows = dashboard.locator('[data-testid=sessions-table] tbody tr');
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
      expect(await rows.first().getAttribute('data-session-id')).toBe(sessionId);
      expect(await rows.first().getAttribute('data-ended')).toBe('true');
      await headset.close();
      await dashboard.close();
    },
  );

  it(
    'a session the therapist ended while the headset was away ends on the summary when it resumes',
    { timeout: 300_000 },
    async () => {
      const { token, patient, headset } = await playingHeadset('P-046');
      const sessionId = (await gameState(headset)).sessionId;
      await hitNextTrial(headset);

      const dashboard = await browser.context.newPage();
      dashboard.on('dialog', (dialog) => void dialog.accept());
      await signInOnDashboard(dashboard, server.url, USER);
      await dashboard.goto(`${server.url}/therapist/#/patients/${patient.id}/live`);
      const headsetStatus = dashboard.getByTestId('headset-status');
      await expect.poll(() => headsetStatus.textContent(), { timeout: 20_000 }).toBe('connected');

      // The headset goes away (here: its page reloads and waits on its entry screen).
      await headset.reload();
      await headset.getByTestId('start-paired').waitFor();
      await expect
        .poll(() => headsetStatus.textContent(), { timeout: 20_000 })
        .toBe('disconnected');
      await dashboard.getByRole('button', { name: 'End session' }).click();
      await expect
        .poll(() => dashboard.getByTestId('control-status-end').textContent(), { timeout: 8000 })
        .toBe('ended on the server (headset away)');
      await expect
        .poll(() => dashboard.getByTestId('session-status').textContent(), { timeout: 20_000 })
        .toBe('Ended by the therapist');

      // Back, it resumes the session: the server says it has ended, the game shows the summary.
      await startPairedGame(headset);
      await headset.waitForFunction(() => window.__reach!.getState().status === 'ended', null, {
        timeout: 30_000,
      });
      expect((await gameState(headset)).sessionId).toBe(sessionId);
      const listed = async () =>
        (await api<Listed>(server, token, `/api/patients/${patient.id}/sessions`)).sessions.map(
          (s) => [s.id, s.endReason, s.summary.trials],
        );
      await expect
        .poll(listed, { timeout: 30_000, interval: 250 })
        .toEqual([[sessionId, 'therapist', 1]]);
      await headset.close();
      await dashboard.close();
    },
  );

  it(
    'ends the session as abandoned when the plan changed before it could resume',
    { timeout: 300_000 },
    async () => {
      const { token, patient, headset } = await playingHeadset('P-045');
      const oldSession = (await gameState(headset)).sessionId;
      await hitNextTrial(headset);
      const lastTrialEnd = async () =>
        (
          await api<{ trials: { endedAt: string }[] }>(server, token, `/api/sessions/${oldSession}`)
        ).trials.map((t) => t.endedAt);
      await expect.poll(lastTrialEnd, { timeout: 30_000, interval: 250 }).toHaveLength(1);

      const dashboard = await browser.context.newPage();
      await signInOnDashboard(dashboard, server.url, USER);
      await dashboard.goto(`${server.url}/therapist/#/patients/${patient.id}/live`);
      const sessionStatus = dashboard.getByTestId('session-status');

      // The headset reloads; meanwhile the therapist changes the plan.
      await headset.reload();
      await headset.getByTestId('start-paired').waitFor();
      const record = await api<{ plan: Record<string, unknown> | null }>(
        server,
        token,
        `/api/patients/${patient.id}`,
      );
      const plan = record.plan ?? { ...DEFAULT_PLAN };
      await api(
        server,
        token,
        `/api/patients/${patient.id}`,
        { plan: { ...plan, maxMinutes: 7 } },
        'PATCH',
      );

      await startPairedGame(headset);
      await headset.waitForFunction(
        () => ['instructions', 'running'].includes(window.__reach!.getState().status),
        null,
        { timeout: 30_000 },
      );
      const fresh = await gameState(headset);
      expect(fresh.sessionId).not.toBe(oldSession);
      expect(fresh.trialNumber).toBe(0);

      type Row = [string, string | null, string | null];
      const sessions = async () =>
        (await api<Listed>(server, token, `/api/patients/${patient.id}/sessions`)).sessions.map(
          (s): Row => [s.id, s.endedAt, s.endReason],
        );
      // The old one ended as abandoned at its last progress (not later), the new one runs.
      await expect.poll(sessions, { timeout: 30_000, interval: 250 }).toEqual([
        [fresh.sessionId, null, null],
        [oldSession, expect.any(String), 'abandoned'],
      ]);
      const abandonedAt = Date.parse((await sessions())[1]![1]!);
      expect(abandonedAt).toBeGreaterThanOrEqual(Date.parse((await lastTrialEnd())[0]!));
      expect(abandonedAt).toBeLessThan(Date.now() - 500);

      const csv = (await api<string>(server, token, `/api/patients/${patient.id}/sessions.csv`))
        .trim()
        .split('\r\n')
        .map((line) => line.split(','));
      const column = (name: string) => csv[0]!.indexOf(name);
      expect(
        csv
          .slice(1)
          .map((r) => [
            r[column('session_id')],
            r[column('end_reason')],
            r[column('ended_at')] === '',
          ]),
      ).toEqual([
        [oldSession, 'abandoned', false],
        [fresh.sessionId, '', true],
      ]);
      // The dashboard follows the new session, not the old one's paused scene.
      await expect
        .poll(() => sessionStatus.textContent(), { timeout: 20_000 })
        .toMatch(/^(Showing instructions|Running)$/);
      await dashboard.goto(`${server.url}/therapist/#/patients/${patient.id}/history`);
      const oldRow = dashboard.locator(`[data-session-id="${oldSession}"]`);
      await expect.poll(() => oldRow.textContent(), { timeout: 10_000 }).toContain('abandoned');
      await headset.close();
      await dashboard.close();
    },
  );
});
