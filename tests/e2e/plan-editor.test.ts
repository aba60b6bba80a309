import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectConsoleErrors, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { createPatient } from '../support/clinic';
import { startServer, type RunningServer } from '../support/server';
import { openDashboard, signIn } from './pages';

const OUTPUT = resolve(import.meta.dirname, '../../test-output');

describe('the plan editor as a physiotherapist reads it', () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    server = await startServer();
    browser = await launchBrowser({ viewport: { width: 1100, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('says what patient’s choice does, keeps each tick box on its words, names the sectors’ rows and columns, and explains the step size', async () => {
    const login = await signIn(server, 'plan-reader');
    const patient = await createPatient(server.url, login.token, 'PLAN-1');
    const page = await browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await openDashboard(page, server, login, `#/patients/${patient.id}`);
    const plan = page.locator('section[aria-labelledby="plan-title"]');
    await plan.waitFor({ timeout: 20_000 });

    const hint = page.getByTestId('plan-world-hint');
    expect(await hint.count()).toBe(0);
    await page.getByTestId('plan-world').selectOption('choice');
    expect(await hint.textContent()).toBe(
      'Before the session the patient picks the orchard, the lantern festival or the reef in VR. Without a choice in 30 s, the world this headset played last (or the orchard) starts.',
    );

    // A tick box sits on the line of its words, not above a column of them.
    for (const box of [page.getByTestId('plan-assessment'), page.getByTestId('plan-ratings')]) {
      const label = box.locator('xpath=..');
      const [boxArea, labelArea] = [await box.boundingBox(), await label.boundingBox()];
      expect(labelArea!.height).toBeLessThan(2 * boxArea!.height + 8);
      expect(boxArea!.x - labelArea!.x).toBeLessThan(10);
    }

    await page.getByTestId('plan-placement-mode').selectOption('sector');
    const sectors = page.getByTestId('plan-placement-sectors');
    expect(await sectors.locator('th[scope=colgroup]').allTextContents()).toEqual([
      'across the body',
      'ahead',
      'out to the side',
    ]);
    expect(await sectors.locator('th[scope=col]').allTextContents()).toEqual([
      'over 30° across',
      '20-30° across',
      '10-20° across',
      '0-10° across',
      '0-10° out',
      '10-20° out',
      '20-30° out',
      'over 30° out',
    ]);
    expect(await sectors.locator('th[scope=row]').allTextContents()).toEqual([
      'up (above 20°)',
      'shoulder height (0-20°)',
      'low (below the shoulder)',
    ]);

    expect(await page.getByTestId('step-explained').textContent()).toBe(
      'After a hit the level rises by 2 (step size × (1 − target success)), after a miss it falls by 6 (step size × target success): the patient settles where they succeed 75 % of the time.',
    );
    await plan.screenshot({ path: resolve(OUTPUT, 'plan-editor.png') });
    expect(errors).toEqual([]);
  });
});
