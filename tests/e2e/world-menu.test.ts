import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_PLAN } from '../../shared/clinical/plan';
import type { SessionRecord } from '../../shared/protocol/http';
import { collectConsoleErrors, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { api, createPatient, pairDeviceToken } from '../support/clinic';
import { startServer, type RunningServer } from '../support/server';
import { gameState, reachTo, type V3 } from './game-driver';
import { openHeadset, signIn, type Login } from './pages';

/** Shown in README: the menu as the test suite sees it, from the patient's seat. */
const SCREENSHOTS = resolve(import.meta.dirname, '../../docs/screenshots');
const GAME_QUERY = 'instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=5&rest=0';

type Card = 'orchard' | 'lantern' | 'reef';

const along = (from: V3, direction: V3, metres: number): V3 =>
  from.map((v, i) => v + direction[i]! * metres) as V3;

describe("the patient's choice: an in-VR world menu before the session starts", () => {
  let server: RunningServer;
  let browser: LaunchedBrowser;
  let login: Login;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startServer();
    login = await signIn(server, 'dr-worlds');
    browser = await launchBrowser({ viewport: { width: 960, height: 600 } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A paired headset whose plan leaves the world to the patient, in VR with the menu shown. */
  async function headsetChoosing(code: string): Promise<{ page: Page; errors: string[] }> {
    const patientId = (await createPatient(server.url, login.token, code)).id;
    const plan = {
      ...DEFAULT_PLAN,
      tasks: [{ task: 'touch', sets: 1, repetitions: 1 }],
      world: 'choice',
    };
    const patched = await api(server.url, 'PATCH', `/api/patients/${patientId}`, login.token, {
      plan,
    });
    expect(patched.status).toBe(200);
    const deviceToken = await pairDeviceToken(server.url, login.token, patientId);
    const page = await browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await openHeadset(page, server, deviceToken);
    await page.goto(`${server.url}/?automation=1&${GAME_QUERY}`);
    await page.getByTestId('start-paired').click();
    await page.waitForFunction(() => window.__reach?.ready === true, null, { timeout: 60_000 });
    await page.evaluate(() => window.__reach!.enterVR());
    await page.waitForFunction(() => window.__reach!.getState().worldMenu.visible, null, {
      timeout: 30_000,
    });
    // The menu holds the session: nothing started, nothing recorded, no world drawn yet.
    const s = await gameState(page);
    expect([s.status, s.worldState.world, s.worldState.menu?.chosen]).toEqual(['idle', null, null]);
    expect(await page.locator('.game-root').getAttribute('data-world')).toBe('choosing');
    return { page, errors };
  }

  /** Waits for the chosen world, the session's start, and its record naming the world. */
  async function expectSessionIn(page: Page, world: Card) {
    await page.waitForFunction((w) => window.__reach!.getState().worldState.world === w, world, {
      timeout: 10_000,
    });
    expect((await gameState(page)).worldState.menu?.chosenBy).toBe('patient');
    // The choice is spoken, then the session starts: calibration first (a new patient).
    await page.waitForFunction(() => window.__reach!.getState().status === 'calibrating', null, {
      timeout: 20_000,
    });
    expect(await page.locator('.game-root').getAttribute('data-world')).toBe(world);
    const { sessionId } = await gameState(page);
    await expect
      .poll(
        async () =>
          (
            await api<{ session: SessionRecord }>(
              server.url,
              'GET',
              `/api/sessions/${sessionId}`,
              login.token,
            )
          ).body.session.world,
        { timeout: 15_000 },
      )
      .toBe(world);
  }

  it('is chosen with a controller ray, and the session records the world', async () => {
    const { page, errors } = await headsetChoosing('MENU-RAY');
    // The emulated headset starts with its controllers.
    const { worldMenu } = await gameState(page);
    // Aim the right controller's ray at the lantern festival's card from 35 cm, and pull the trigger.
    await page.evaluate(
      (target) =>
        window.__reach!.device.remote.dispatch('look_at', {
          device: 'controller-right',
          target: { x: target[0], y: target[1], z: target[2] },
          moveToDistance: 0.35,
        }),
      worldMenu.cards.lantern,
    );
    await page.waitForTimeout(400);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'world-menu.png') });
    const setTrigger = (value: 0 | 1) =>
      page.evaluate(
        (value) =>
          window.__reach!.device.remote.dispatch('set_select_value', {
            device: 'controller-right',
            value,
          }),
        value,
      );
    await setTrigger(1);
    await page.waitForTimeout(150);
    await setTrigger(0);
    await expectSessionIn(page, 'lantern');
    expect(errors.filter((e) => !e.includes('speechSynthesis'))).toEqual([]);
    await page.close();
  }, 180_000);

  it('is chosen with a finger poke, and offers the world last played as the default', async () => {
    const { page, errors } = await headsetChoosing('MENU-POKE');
    // This browser's headset last played the lantern festival (the case above).
    expect((await gameState(page)).worldState.menu?.fallback).toBe('lantern');
    // The session's published input mode waits for the session: the menu reads tracking itself.
    await page.evaluate(() =>
      window.__reach!.device.remote.dispatch('set_input_mode', { mode: 'hand' }),
    );
    await page.waitForTimeout(500);
    const { cards, normal } = (await gameState(page)).worldMenu;
    const card = cards.reef as V3;
    // The index fingertip comes to a hand's breadth in front of the reef's card, then pokes it.
    await reachTo(page, 'hand-right', along(card, normal as V3, 0.12), 0.6);
    await page.waitForTimeout(300);
    expect((await gameState(page)).worldState.menu?.chosen).toBeNull();
    await reachTo(page, 'hand-right', along(card, normal as V3, -0.005), 0.4);
    await expectSessionIn(page, 'reef');
    expect(errors.filter((e) => !e.includes('speechSynthesis'))).toEqual([]);
    await page.close();
  }, 180_000);
});
