import { describe, expect, it } from 'vitest';
import { getOk, PASSWORD } from '../support/clinic';
import { login } from '../support/server';
import {
  TEST_REACH,
  calibrate,
  gameState,
  pairFreshHeadset,
  startPairedGame,
  useGameClinic,
} from './game-driver';

/**
 * A calibration measured on the headset and still waiting in its outbox (the socket cannot reach
 * the server) is played with after a reload whose plan came from the server, which does not have
 * it yet: the page used to take the server's older calibration (here: none) and calibrate again.
 */

const PARAMS =
  '&automation=1&tasks=touch:4&instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=9' +
  '&timeLimitEasy=8&timeLimitHard=5';

type Patient = { calibration: { right?: { measuredAt: string } } };

describe('a calibration still in the outbox at an online reload', () => {
  const clinic = useGameClinic('dr-calib');

  it('is the one played, not the server’s older one', { timeout: 300_000 }, async () => {
    // HTTP reaches the server throughout (the plan is fetched); the socket only when allowed.
    let socketsAllowed = false;
    const { server, browser } = clinic;
    await browser.context.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (socketsAllowed) ws.connectToServer();
      else void ws.close();
    });
    const token = await login(server.url, clinic.username, PASSWORD);
    const { patientId, headset } = await pairFreshHeadset(
      browser.context,
      server.url,
      token,
      'P-091',
      PARAMS,
    );
    const serverCalibration = async () =>
      (await getOk<Patient>(server.url, token, `/api/patients/${patientId}`)).calibration;

    await startPairedGame(headset);
    await headset.waitForFunction(() => window.__reach!.getState().status === 'calibrating');
    await calibrate(headset, TEST_REACH);
    const measured = (await gameState(headset)).workspace!;
    expect(measured.arm).toBe('right');
    await headset.waitForFunction(() => window.__reach!.getState().outboxLength >= 2);
    expect(await serverCalibration()).toEqual({});

    // Reloaded: the plan comes from the server, the calibration is the one measured here.
    await headset.reload();
    await startPairedGame(headset);
    await headset.waitForFunction(
      () => ['calibrating', 'instructions', 'running'].includes(window.__reach!.getState().status),
      null,
      { timeout: 30_000 },
    );
    expect((await gameState(headset)).status).not.toBe('calibrating');

    // Once the socket gets through, the server has it too.
    socketsAllowed = true;
    await expect
      .poll(async () => (await serverCalibration()).right?.measuredAt, {
        timeout: 30_000,
        interval: 250,
      })
      .toBe(measured.measuredAt);
    await headset.close();
  });
});
