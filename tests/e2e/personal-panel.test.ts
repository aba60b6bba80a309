import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Trial, Workspace } from '../../shared/protocol';
import { collectConsoleErrors } from '../support/browser';
import { request, sleep } from '../support/sockets';
import { makeTrial } from '../support/trials';
import { headsetWithHistory, openDashboard, TEST_OUTPUT, useDashboardClinic } from './pages';

const DAY = 86_400_000;

const WORKSPACE: Workspace = {
  arm: 'right',
  posture: 'seated',
  shoulder: [0.18, 1.0, 0],
  reach: { forward: 0.55, outward: 0.5, up: 0.35, across: 0.25 },
  measuredAt: new Date().toISOString(),
};
/** Ahead at about shoulder height (sector 11) and up-across (sector 18), from that shoulder. */
const AHEAD: [number, number, number] = [0.13, 1.05, -0.4];
const UP_ACROSS: [number, number, number] = [0.08, 1.25, -0.3];

describe('personal panel on the history page', () => {
  const clinic = useDashboardClinic({ width: 1100, height: 900 });

  it('draws the map from the stored trials and the level trend with its 4-week band', async () => {
    const { server, browser } = clinic;
    const { login, patientId, device } = await headsetWithHistory(clinic, 'personal-e2e', 'P-12', {
      right: WORKSPACE,
    });
    // Six sessions over 27 days, 10 trials each: ahead all hits, up-across mostly misses.
    const daysAgo = [28, 23, 18, 12, 6, 1];
    for (const [s, days] of daysAgo.entries()) {
      const sessionId = randomUUID();
      const start = Date.now() - days * DAY;
      expect(
        await request(device, 'session:start', {
          sessionId,
          mode: 'home',
          startedAt: new Date(start).toISOString(),
        }),
      ).toMatchObject({ ok: true });
      for (let i = 0; i < 10; i++) {
        const trial: Trial = makeTrial(sessionId, i + 1, 10, {
          startMs: start + i * 3000,
          levelBefore: 20 + 5 * s,
        });
        const upAcross = i % 2 === 1;
        trial.target = upAcross ? UP_ACROSS : AHEAD;
        trial.outcome = upAcross && i !== 9 ? 'miss_not_reached' : 'hit';
        trial.tContact = trial.outcome === 'hit' ? 1.2 : null;
        expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
        await sleep(60);
      }
      expect(
        await request(device, 'session:end', {
          sessionId,
          endedAt: new Date(start + 60_000).toISOString(),
          reason: 'plan_complete',
        }),
      ).toMatchObject({ ok: true });
      await sleep(250);
    }

    const page = await browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await openDashboard(page, server, login, `#/patients/${encodeURIComponent(patientId)}/history`);
    const panel = page.getByTestId('personal-panel');
    await panel.getByTestId('front-sector-18').waitFor({ timeout: 20_000 });

    // Every trial is in its sector: 30 ahead, 30 up-across.
    expect(await panel.getByTestId('front-sector-11').getAttribute('data-trials')).toBe('30');
    expect(await panel.getByTestId('front-sector-18').getAttribute('data-trials')).toBe('30');
    expect(await panel.getByTestId('front-sector-18').locator('title').textContent()).toContain(
      'success 20 %',
    );
    expect(await panel.getByTestId('top-sector-1').getAttribute('data-trials')).toBe('0');
    // From above, the three heights pooled: azimuth bins 2 (up-across) and 3 (ahead).
    expect(await panel.getByTestId('top-sector-2').getAttribute('data-trials')).toBe('30');
    expect(await panel.getByTestId('top-sector-3').getAttribute('data-trials')).toBe('30');

    // Level reached rises 5 a session: a projection with its band; no standard test trials yet.
    const level = panel.getByTestId('trend-levelReached');
    expect(await level.getAttribute('data-state')).toBe('trend');
    expect(await level.getByTestId('projection-band').count()).toBe(1);
    expect(await level.locator('figcaption').textContent()).toMatch(
      /^Difficulty level reached: \+\d+\.\d per week \(95 % CI/,
    );
    const assessment = panel.getByTestId('trend-assessmentSuccess');
    expect(await assessment.getAttribute('data-state')).toBe('not_enough_data');
    expect(await assessment.textContent()).toContain('0 sessions with a value');

    // The last session alone.
    await panel.getByRole('button', { name: 'Last session' }).click();
    expect(await panel.getByTestId('front-sector-18').getAttribute('data-trials')).toBe('5');
    await panel.getByRole('button', { name: 'Over weeks' }).click();
    await panel.screenshot({ path: resolve(TEST_OUTPUT, 'personal-panel.png') });
    expect(await panel.textContent()).not.toMatch(/NaN|undefined/);
    expect(errors).toEqual([]);
  });
});
