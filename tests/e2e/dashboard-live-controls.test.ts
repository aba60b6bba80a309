import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN } from '../../shared/clinical/plan';
import type { LiveState } from '../../shared/protocol';
import { collectConsoleErrors } from '../support/browser';
import { api } from '../support/clinic';
import { loose, request } from '../support/sockets';
import { makeState, makeTrial } from '../support/trials';
import { headsetWithHistory, openDashboard, TEST_OUTPUT, useDashboardClinic } from './pages';

/** What the live selectors show: task, arm, and the arm whose difficulty the fields edit. */
const selectors = (page: Page) =>
  Promise.all([
    page.getByTestId('control-task').inputValue(),
    page.getByTestId('control-arm').inputValue(),
    page.getByTestId('control-difficulty-arm').inputValue(),
  ]);

/** The difficulty fields: lowest and highest level, target radius at its easiest (cm). */
const difficultyFields = (page: Page) =>
  Promise.all([
    page.getByLabel('Lowest level').inputValue(),
    page.getByLabel('Highest level').inputValue(),
    page.locator('input[name=radius-easy]').inputValue(),
  ]);

describe('the live controls show what the session plays', () => {
  const clinic = useDashboardClinic({ width: 1100, height: 900 });

  it('start at the task, arm and difficulty in force, after a reload and after a live change too', async () => {
    const { server } = clinic;
    const { login, patientId, device } = await headsetWithHistory(
      clinic,
      'dr-live-controls',
      'LV-CTRL',
      {},
    );
    // The plan plays hold on the left arm: nothing of it is the selectors' old default.
    const plan = {
      ...DEFAULT_PLAN,
      arm: 'left',
      tasks: [{ task: 'hold', sets: 2, repetitions: 5 }],
    };
    expect(
      (await api(server.url, 'PATCH', `/api/patients/${patientId}`, login.token, { plan })).status,
    ).toBe(200);
    const commands: unknown[] = [];
    loose(device).on('control:apply', (...args: unknown[]) => {
      commands.push((args[0] as { command: unknown }).command);
      (args.at(-1) as (r: unknown) => void)({ applied: true });
    });
    const sessionId = randomUUID();
    expect(
      await request(device, 'session:start', {
        sessionId,
        mode: 'live',
        startedAt: new Date().toISOString(),
      }),
    ).toMatchObject({ ok: true });
    // This session's live change of the left arm's bounds and target size (not kept in the plan).
    const inForce = {
      ...plan.difficulty,
      left: {
        ...plan.difficulty.left,
        minLevel: 10,
        maxLevel: 60,
        radius: { easy: 0.06, hard: 0.02 },
      },
    };
    let state: LiveState = makeState(sessionId, {
      task: 'hold',
      arm: 'left',
      trialNumber: 1,
      difficulty: inForce,
    });
    const publish = (change: Partial<LiveState>) => {
      state = { ...state, ...change };
      device.emit('session:state', state);
    };
    publish({});
    // Ten easy hits at the left arm's live maximum (60): the alert judges against that bound.
    for (let n = 1; n <= 10; n++) {
      const trial = makeTrial(sessionId, n, 10, {
        startMs: Date.now() - 60_000 + n * 3000,
        levelBefore: 59,
      });
      Object.assign(trial, { arm: 'left', task: 'hold', outcome: 'hit', tContact: 1.2 });
      expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
    }

    const page = await clinic.browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await openDashboard(page, server, login, `#/patients/${patientId}/live`);
    await expect.poll(() => selectors(page), { timeout: 20_000 }).toEqual(['hold', 'left', 'left']);
    // (The plan's task and arm show before the state arrives: the settings in force tell it came.)
    await expect.poll(() => difficultyFields(page), { timeout: 10_000 }).toEqual(['10', '60', '6']);
    expect(await selectors(page)).toEqual(['hold', 'left', 'left']);
    const atMax = page.getByTestId('alert-difficulty_at_max');
    await atMax.waitFor({ timeout: 10_000 });
    expect(await atMax.textContent()).toBe(
      'Note: At maximum difficulty for 10 trials, success 100 %: the hardest settings are too easy, consider harder settings.',
    );
    await page.screenshot({ path: resolve(TEST_OUTPUT, 'live-controls.png'), fullPage: true });

    // A therapist's reload reads them from the server's last state.
    await page.reload();
    await expect.poll(() => selectors(page), { timeout: 20_000 }).toEqual(['hold', 'left', 'left']);
    await expect.poll(() => difficultyFields(page), { timeout: 10_000 }).toEqual(['10', '60', '6']);
    expect(await selectors(page)).toEqual(['hold', 'left', 'left']);

    // Typed in two rows, one applied: once the headset has it in force, the other row keeps what
    // was typed, and the arm stays put while it does.
    const distanceHard = page.locator('input[name=distance-hard]');
    await distanceHard.fill('90');
    await page.locator('input[name=radius-easy]').fill('7');
    await page.getByTestId('apply-radius').click();
    await expect.poll(() => commands.length, { timeout: 10_000 }).toBe(1);
    const radius = { easy: 0.07, hard: 0.02 };
    expect(commands).toEqual([
      { type: 'setDifficulty', arm: 'left', change: { radius }, keep: false },
    ]);
    publish({ difficulty: { ...inForce, left: { ...inForce.left, radius } } });
    await expect.poll(() => difficultyFields(page), { timeout: 10_000 }).toEqual(['10', '60', '7']);
    expect(await distanceHard.inputValue()).toBe('90');
    await page.getByTestId('apply-distance').click();
    await expect.poll(() => commands.length, { timeout: 10_000 }).toBe(2);
    const distance = { easy: plan.difficulty.left.distance.easy, hard: 0.9 };
    publish({ difficulty: { ...inForce, left: { ...inForce.left, radius, distance } } });
    await expect.poll(() => distanceHard.inputValue(), { timeout: 10_000 }).toBe('90');
    commands.length = 0;

    // The session changes (the plan's next set, or a change from another tab): they follow.
    publish({ task: 'grasp', arm: 'right', trialNumber: 2 });
    await expect
      .poll(() => selectors(page), { timeout: 10_000 })
      .toEqual(['grasp', 'right', 'right']);
    const right = plan.difficulty.right;
    expect(await difficultyFields(page)).toEqual([
      String(right.minLevel),
      String(right.maxLevel),
      String(right.radius.easy * 100),
    ]);

    // A choice not yet sent stands through a new state of the same session...
    await page.getByTestId('control-task').selectOption('touch');
    publish({ trialNumber: 3 });
    await expect
      .poll(
        () =>
          page.evaluate(
            () =>
              (
                window.__reachDashboard!.getLiveState() as {
                  live: { state: { trialNumber: number } };
                }
              ).live.state.trialNumber,
          ),
        { timeout: 10_000 },
      )
      .toBe(3);
    expect(await selectors(page)).toEqual(['touch', 'right', 'right']);
    // ...and once sent, the selector follows the session again.
    await page.getByRole('button', { name: 'Set task' }).click();
    await expect
      .poll(() => page.getByTestId('control-status-setTask').textContent(), { timeout: 10_000 })
      .toMatch(/applied/i);
    expect(commands).toEqual([{ type: 'setTask', task: 'touch' }]);
    publish({ task: 'touch', trialNumber: 4 });
    publish({ task: 'hold', arm: 'left', trialNumber: 5 });
    await expect.poll(() => selectors(page), { timeout: 10_000 }).toEqual(['hold', 'left', 'left']);
    commands.length = 0;

    // "Keep for next sessions" stays ticked once a kept change rewrote the plan and the page read
    // it again; it is sent with each change, so the next one is kept too.
    const keepBox = page.getByLabel('Keep for next sessions');
    await keepBox.check();
    const planReadAgain = page.waitForResponse(
      (r) => r.request().method() === 'GET' && r.url().endsWith(`/api/patients/${patientId}`),
    );
    await page.getByLabel('Highest level').fill('55');
    await page.getByRole('button', { name: 'Apply levels' }).click();
    await planReadAgain;
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
    expect(await keepBox.isChecked()).toBe(true);
    await page
      .getByText(
        'Each change you apply while this is ticked is also saved in the plan, for every later session.',
      )
      .waitFor({ timeout: 1000 });
    await page.getByLabel('Lowest level').fill('20');
    await page.getByRole('button', { name: 'Apply levels' }).click();
    await expect.poll(() => commands.length, { timeout: 10_000 }).toBe(2);
    expect(commands).toEqual([
      { type: 'setDifficulty', arm: 'left', change: { minLevel: 10, maxLevel: 55 }, keep: true },
      { type: 'setDifficulty', arm: 'left', change: { minLevel: 20, maxLevel: 55 }, keep: true },
    ]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
