import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DIFFICULTY, DEFAULT_PLAN } from '../../shared/clinical';
import type { Trial } from '../../shared/protocol';
import { collectConsoleErrors, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { api, createPatient, pairDeviceToken, therapistWithToken } from '../support/clinic';
import { startServer, type RunningServer } from '../support/server';
import { connect, request, type TestSocket } from '../support/sockets';
import { makeTrial, TRIAL_METRICS } from '../support/trials';
import { signInOnDashboard } from './pages';

const OUTPUT = resolve(import.meta.dirname, '../../test-output');
const USER = 'record-e2e';
const DAY_MS = 86_400_000;

const shot = (page: Page, name: string) =>
  page.screenshot({ path: resolve(OUTPUT, `dashboard-record-${name}.png`), fullPage: true });

/**
 * A session of both arms: the right (affected) arm slower and less smooth than the left, its own
 * level rising from `rightLevel`, the left's from 20.
 */
async function playBothArms(device: TestSocket, startMs: number, rightLevel: number) {
  const sessionId = randomUUID();
  await request(device, 'session:start', {
    sessionId,
    mode: 'live',
    startedAt: new Date(startMs).toISOString(),
    world: 'reef',
  });
  for (let n = 1; n <= 4; n++) {
    const arm = n % 2 === 1 ? 'right' : 'left';
    const trial: Trial = {
      ...makeTrial(sessionId, n, 90, {
        startMs: startMs + n * 5000,
        levelBefore: arm === 'right' ? rightLevel + n : 20 + n,
      }),
      arm,
      outcome: 'hit',
      tContact: 1.2,
      metrics:
        arm === 'right'
          ? { ...TRIAL_METRICS, movementTime: 1.8, sparc: -2.1 }
          : { ...TRIAL_METRICS, movementTime: 0.9, sparc: -1.5 },
    };
    expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
  }
  await request(device, 'session:end', {
    sessionId,
    endedAt: new Date(startMs + 60_000).toISOString(),
    reason: 'plan_complete',
  });
  return sessionId;
}

describe('the record a therapist reads: each arm on its own, and the clinical scales', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;
  let device: TestSocket;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    server = await startServer();
    browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    device?.close();
    await browser?.close();
    await server?.close();
  });

  it(
    'records scales, charts them with per-arm progress and bound changes, and reports both arms side by side',
    {
      timeout: 180_000,
    },
    async ({ onTestFailed }) => {
      const token = await therapistWithToken(server, USER);
      const patient = await createPatient(server.url, token, 'REC-1', { label: 'Both arms' });
      device = await connect(server.url, await pairDeviceToken(server.url, token, patient.id));
      const now = Date.now();
      await playBothArms(device, now - 3 * DAY_MS, 40);
      await playBothArms(device, now - 2 * DAY_MS, 44);
      // The therapist makes the right arm's targets smaller at the hard end: its levels before and
      // after are not on one scale any more.
      const plan = {
        ...DEFAULT_PLAN,
        difficulty: {
          left: DEFAULT_DIFFICULTY,
          right: { ...DEFAULT_DIFFICULTY, radius: { easy: 0.08, hard: 0.03 } },
        },
      };
      expect(
        (await api(server.url, 'PATCH', `/api/patients/${patient.id}`, token, { plan })).status,
      ).toBe(200);
      const lastId = await playBothArms(device, now + 60_000, 30);

      const dashboard = await browser.context.newPage();
      onTestFailed(async () => {
        await shot(dashboard, 'failure');
      });
      const errors = collectConsoleErrors(dashboard);
      dashboard.on('dialog', (dialog) => void dialog.accept());
      await signInOnDashboard(dashboard, server.url, USER);

      // The patient's page: record scores; a value out of range is refused with its range named.
      await dashboard.goto(`${server.url}/therapist/#/patients/${patient.id}`);
      const panel = dashboard.getByTestId('scales-panel');
      await panel.waitFor();
      const form = panel.getByRole('form', { name: 'Record a score' });
      const rows = panel.locator('[data-testid=scales-table] tbody tr');
      let recorded = 0;
      /** Fills the form and records; true when the server stored it (the row then shows). */
      const record = async (scale: string, arm: string, value: string, date: string) => {
        await form.locator('select[name=scale]').selectOption(scale);
        await form.locator('select[name=arm]').selectOption(arm);
        await form.locator('input[name=value]').fill(value);
        await form.locator('input[name=measuredOn]').fill(date);
        const stored = dashboard
          .waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/scales'), {
            timeout: 2000,
          })
          .then((r) => r.status() === 201)
          .catch(() => false);
        await form.getByRole('button', { name: 'Record score' }).click();
        if (await stored) {
          recorded++;
          await expect.poll(() => rows.count()).toBe(recorded);
          await expect.poll(() => form.locator('input[name=value]').inputValue()).toBe('');
        }
      };
      const day = (offsetDays: number) =>
        new Date(now + offsetDays * DAY_MS).toISOString().slice(0, 10);
      await record('arat', 'right', '60', day(-3));
      await expect
        .poll(() => panel.getByTestId('scale-message').textContent())
        .toContain('ARAT must be a whole number from 0 to 57');
      await record('arat', 'right', '21', day(-3));
      await expect.poll(() => panel.getByTestId('scale-message').textContent()).toContain('Saved');
      await record('fugl_meyer_ue', 'right', '31', day(-3));
      await record('fugl_meyer_ue', 'right', '36', day(0));
      await record('box_and_block', 'left', '48', day(-2));
      await record('box_and_block', 'right', '12', day(-2));
      expect(recorded).toBe(5);
      // Correct the newest Fugl-Meyer score.
      const newest = rows.first();
      await newest.getByRole('button', { name: 'Correct' }).click();
      await newest.getByLabel('Score (0-66)').fill('38');
      await newest.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => rows.first().textContent()).toContain('38 points');
      await expect.poll(() => rows.first().textContent()).toContain('corrected');
      await shot(dashboard, '1-scales');

      // The API holds the corrected value; nothing was stored for the refused one.
      const stored = await api<{ entries: { scale: string; value: number }[] }>(
        server.url,
        'GET',
        `/api/patients/${patient.id}/scales`,
        token,
      );
      expect(stored.body.entries.map((e) => [e.scale, e.value])).toEqual([
        ['arat', 21],
        ['fugl_meyer_ue', 31],
        ['box_and_block', 48],
        ['box_and_block', 12],
        ['fugl_meyer_ue', 38],
      ]);

      // History: per-arm sessions, asymmetry, the scales charted, the bound change marked.
      await dashboard.goto(`${server.url}/therapist/#/patients/${patient.id}/history`);
      const table = dashboard.getByTestId('sessions-table');
      await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
      const last = table.locator(`tr[data-session-id="${lastId}"]`);
      // right MT 1.8 vs left 0.9: 100 * 0.9 / 2.7; SPARC -2.1 vs -1.5: 100 * 0.6 / 3.6
      expect(await dashboard.getByTestId(`asymmetry-${lastId}`).textContent()).toBe(
        'MT +33 %SPARC +17 %',
      );
      expect(await last.locator('[data-arm=right]').nth(2).textContent()).toBe('R 31 → 34');
      expect(await last.locator('[data-arm=left]').nth(2).textContent()).toBe('L 22 → 25');
      expect(await dashboard.getByTestId(`world-${lastId}`).textContent()).toBe('Underwater reef');
      const charts = dashboard.getByTestId('progress-charts');
      for (const key of [
        'level',
        'successRate',
        'asymmetry',
        'scale-fugl_meyer_ue',
        'scale-arat',
        'scale-box_and_block',
      ])
        await charts.getByTestId(`chart-${key}`).waitFor();
      expect(await charts.getByTestId('chart-level').textContent()).toContain(
        'bounds of the right arm changed (levels before and after are not comparable)',
      );
      expect(await charts.getByTestId('chart-successRate').textContent()).toContain(
        'The staircase holds success near its target by design',
      );
      expect(
        await charts
          .getByTestId('chart-scale-fugl_meyer_ue')
          .getByRole('img')
          .getAttribute('aria-label'),
      ).toBe('Fugl-Meyer Assessment, upper extremity motor score (points): 2 points');
      expect(
        await charts
          .getByTestId('chart-scale-box_and_block')
          .getByRole('img')
          .getAttribute('aria-label'),
      ).toBe('Box and Block Test (blocks/min): 1 points');
      await shot(dashboard, '2-history');

      // The session report: both arms side by side, with the asymmetry index per measure.
      await last.getByRole('link', { name: 'Report' }).click();
      const report = dashboard.getByTestId('session-report');
      await report.waitFor();
      expect(await report.getByTestId('report-world').textContent()).toBe('Underwater reef');
      expect(
        await report.getByTestId('report-summary').locator('thead th[data-arm]').allTextContents(),
      ).toEqual(['Left arm', 'Right arm (affected)']);
      expect(await report.getByTestId('asymmetry-movementTime').textContent()).toBe('+33 %');
      expect(await report.getByTestId('asymmetry-sparc').textContent()).toBe('+17 %');
      // same peak speed on both arms: symmetric; no direction for reach distance: not available
      expect(await report.getByTestId('asymmetry-peakSpeed').textContent()).toBe('0 %');
      expect(await report.getByTestId('asymmetry-straightDistance').textContent()).toBe(
        'not available (this measure has no better direction)',
      );
      expect(await report.textContent()).not.toContain('NaN');
      await shot(dashboard, '3-report');
      expect(errors).toEqual([]);
    },
  );
});
