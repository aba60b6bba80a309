import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  cachedProfile,
  loadProfile,
  saveCalibrationLocally,
} from '../../../client/patient/net/device-api';
import { newestCalibration } from '../../../shared/game/calibration';
import type { Calibration, Workspace } from '../../../shared/protocol';
import type { DeviceMe } from '../../../shared/protocol/http';
import { EMPTY_PROGRESS_HISTORY } from '../../../shared/protocol/progress';
import { stubLocalStorage } from '../../support/memory-storage';

/**
 * The calibration a headset plays with after a start: each arm's newest measurement, whether it
 * came from the server or was measured here and is still waiting in the outbox.
 */

const workspace = (arm: 'left' | 'right', forward: number, measuredAt: string): Workspace => ({
  arm,
  posture: 'seated',
  shoulder: [0.18, 1.0, 0],
  reach: { forward, outward: 0.4, up: 0.3, across: 0.2 },
  measuredAt,
});
const MONDAY = '2026-03-02T09:00:00.000Z';
const TUESDAY = '2026-03-03T09:00:00.000Z';

let serverCalibration: Calibration;
const me = (patientId: string): DeviceMe => ({
  patient: { id: patientId, label: 'P', affectedArm: 'right', posture: 'seated' },
  plan: null,
  calibration: serverCalibration,
  difficulty: {},
  progress: EMPTY_PROGRESS_HISTORY,
});
let patientId = 'p1';

beforeEach(() => {
  stubLocalStorage();
  vi.stubGlobal('fetch', () => Promise.resolve(Response.json(me(patientId))));
  serverCalibration = { right: workspace('right', 0.5, MONDAY) };
  patientId = 'p1';
});
afterEach(() => vi.unstubAllGlobals());

describe('each arm keeps its newest calibration', () => {
  it('by the time it was measured, whichever side it comes from', () => {
    const older = { right: workspace('right', 0.5, MONDAY), left: workspace('left', 0.3, TUESDAY) };
    const newer = {
      right: workspace('right', 0.6, TUESDAY),
      left: workspace('left', 0.35, MONDAY),
    };
    expect(newestCalibration(older, newer)).toEqual({
      right: workspace('right', 0.6, TUESDAY),
      left: workspace('left', 0.3, TUESDAY),
    });
    expect(newestCalibration({}, newer)).toEqual(newer);
    expect(newestCalibration(newer, {})).toEqual(newer);
    expect(newestCalibration({}, {})).toEqual({});
    // A tie keeps the first (the server's, at a start).
    expect(newestCalibration(older, { right: workspace('right', 0.7, MONDAY) }).right).toEqual(
      workspace('right', 0.5, MONDAY),
    );
  });

  it('an online start keeps the one measured here that the outbox has not delivered', async () => {
    await loadProfile('rd_token');
    // Calibrated on Tuesday; the server still has Monday's (the outbox holds the new one).
    saveCalibrationLocally({ right: workspace('right', 0.62, TUESDAY) });
    const profile = await loadProfile('rd_token');
    expect(profile!.calibration).toEqual({ right: workspace('right', 0.62, TUESDAY) });
    // And so does the copy an offline start reads.
    expect(cachedProfile()!.calibration).toEqual({ right: workspace('right', 0.62, TUESDAY) });
  });

  it("the server's newer one stands (measured since on another headset)", async () => {
    await loadProfile('rd_token');
    saveCalibrationLocally({ right: workspace('right', 0.62, MONDAY) });
    serverCalibration = {
      right: workspace('right', 0.55, TUESDAY),
      left: workspace('left', 0.3, MONDAY),
    };
    expect((await loadProfile('rd_token'))!.calibration).toEqual(serverCalibration);
  });

  it("another patient's cached calibration is never taken", async () => {
    await loadProfile('rd_token');
    saveCalibrationLocally({ right: workspace('right', 0.62, TUESDAY) });
    patientId = 'p2';
    expect((await loadProfile('rd_token'))!.calibration).toEqual(serverCalibration);
  });
});
