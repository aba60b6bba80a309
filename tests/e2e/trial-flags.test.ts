import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Workspace } from '../../shared/protocol';
import { collectConsoleErrors } from '../support/browser';
import { request } from '../support/sockets';
import { makeTrial } from '../support/trials';
import { headsetWithHistory, openDashboard, TEST_OUTPUT, useDashboardClinic } from './pages';

const WORKSPACE: Workspace = {
  arm: 'right',
  posture: 'seated',
  shoulder: [0.2, 1.2, 0],
  reach: { forward: 0.55, outward: 0.4, up: 0.3, across: 0.2 },
  measuredAt: new Date().toISOString(),
};

describe('a trial unusual for this patient on the live dashboard', () => {
  const clinic = useDashboardClinic({ width: 1100, height: 900 });

  it('shows the flag with its explanation in the feed, as a note among the alerts and in the session report', async () => {
    const { server, browser } = clinic;
    const { login, patientId, device } = await headsetWithHistory(clinic, 'flags-e2e', 'FL-E2E', {
      right: WORKSPACE,
    });
    // A first session of 20 usual reaches (0.85 to 0.95 s): the baseline.
    const first = randomUUID();
    const start = Date.now() - 86_400_000;
    expect(
      await request(device, 'session:start', {
        sessionId: first,
        mode: 'home',
        startedAt: new Date(start).toISOString(),
      }),
    ).toMatchObject({ ok: true });
    for (let i = 1; i <= 20; i++) {
      const trial = makeTrial(first, i, 10, { startMs: start + i * 3000, levelBefore: 20 });
      trial.metrics = { ...trial.metrics, movementTime: [0.85, 0.87, 0.9, 0.93, 0.95][i % 5]! };
      expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
    }
    expect(
      await request(device, 'session:end', {
        sessionId: first,
        endedAt: new Date(start + 90_000).toISOString(),
        reason: 'plan_complete',
      }),
    ).toMatchObject({ ok: true });

    // The live session, watched.
    const live = randomUUID();
    expect(
      await request(device, 'session:start', {
        sessionId: live,
        mode: 'live',
        startedAt: new Date().toISOString(),
      }),
    ).toMatchObject({ ok: true });
    const page = await browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await openDashboard(page, server, login, `#/patients/${encodeURIComponent(patientId)}/live`);
    await expect
      .poll(() => page.getByTestId('headset-status').textContent(), { timeout: 20_000 })
      .toBe('connected');

    const odd = makeTrial(live, 1, 10);
    odd.metrics = { ...odd.metrics, movementTime: 3, flags: ['tracking_glitch'] };
    expect(await request(device, 'trial:submit', odd)).toMatchObject({ ok: true });

    const row = page.getByTestId('trial-feed').locator('[data-trial-number="1"]');
    const unusual = row.getByTestId('trial-unusual');
    await unusual.waitFor({ timeout: 10_000 });
    expect(await unusual.textContent()).toMatch(
      /^Unusual for this patient: movement time 3\.00 s; this patient’s usual for .+ is 0\.90 s, range 0\.85 to 0\.95 s: slower than almost all of their reaches$/,
    );
    // Measurement flags in words, not code names.
    expect(await row.textContent()).toContain('hand tracking jumped');
    expect(await row.textContent()).not.toContain('tracking_glitch');
    const alert = page.getByTestId('alert-abnormal_trial');
    await alert.waitFor({ timeout: 5000 });
    expect(await alert.textContent()).toContain('A reach unusual for this patient: movement time');
    await page.screenshot({ path: resolve(TEST_OUTPUT, 'trial-flags-live.png'), fullPage: true });

    // The session report keeps the flag and states where each measure is heading.
    await page.goto(
      `${server.url}/therapist/#/patients/${encodeURIComponent(patientId)}/sessions/${live}`,
    );
    const personal = page.getByTestId('report-personal');
    await personal.waitFor({ timeout: 10_000 });
    expect(await personal.getByTestId('report-flags').textContent()).toMatch(
      /^Trial 1 \(Reach and touch, right arm\): movement time 3\.00 s; /,
    );
    expect(await personal.locator('[data-measure=levelReached]').getAttribute('data-state')).toBe(
      'not_enough_data',
    );
    expect(await personal.textContent()).not.toMatch(/NaN|undefined/);
    expect(errors).toEqual([]);
  });
});
