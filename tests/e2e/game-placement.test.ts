import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sectorOf, sectorShortName } from '../../shared/clinical';
import type { Calibration, Vec3 } from '../../shared/protocol';
import { getOk } from '../support/clinic';
import {
  gameState,
  nextTrial,
  reachTo,
  trialCountAbove,
  type V3,
  playClinicGame,
  watchPatient,
  useGameClinic,
} from './game-driver';

const GAME_PARAMS =
  '&automation=1&tasks=touch:5&instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=11' +
  '&timeLimitEasy=10&timeLimitHard=5';

describe('target placement changed live', () => {
  const clinic = useGameClinic('dr-sol');

  it(
    'the therapist switches to sector mode; every following stored target lies in those sectors',
    { timeout: 300_000 },
    async () => {
      const { token, patientId, page, errors } = await playClinicGame(clinic, 'P-031', GAME_PARAMS);

      const { therapist } = await watchPatient(clinic, token, patientId);
      const sessionId = (await gameState(page)).sessionId;

      // Trial 1 in balanced placement.
      let s = await nextTrial(page);
      await page.waitForTimeout(300);
      await reachTo(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.6);
      await trialCountAbove(page, 0);

      // Paused, so no target is on show while the placement changes: the next one is placed
      // under it. The sectors: the two straight ahead at shoulder height.
      const chosen = [11, 12];
      const command = async (c: unknown) =>
        (await therapist.timeout(5000).emitWithAck('control:send', {
          sessionId,
          commandId: randomUUID(),
          command: c,
        })) as { ok: boolean; error?: unknown };
      expect((await command({ type: 'pause' })).ok).toBe(true);
      const answer = await command({
        type: 'setPlacement',
        placement: { mode: 'sector', sectors: chosen },
      });
      expect(answer).toMatchObject({ ok: true });
      expect((await command({ type: 'resume' })).ok).toBe(true);

      for (let n = 1; n < 5; n++) {
        s = await nextTrial(page);
        await page.waitForTimeout(300);
        await reachTo(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.6);
        await trialCountAbove(page, n);
      }
      await page.waitForFunction(() => window.__reach!.getState().status === 'ended', null, {
        timeout: 30_000,
      });
      await page.waitForFunction(() => window.__reach!.getState().outboxLength === 0);

      type Detail = {
        trials: { trialNumber: number; target: Vec3; placementReason?: string }[];
      };
      // The outbox delivers the last trial just after the game shows its end.
      await expect
        .poll(
          async () =>
            (await getOk<Detail>(clinic.server.url, token, `/api/sessions/${sessionId}`)).trials
              .length,
          { timeout: 30_000 },
        )
        .toBe(5);
      const detail = await getOk<Detail>(clinic.server.url, token, `/api/sessions/${sessionId}`);
      const record = await getOk<{ calibration: Calibration }>(
        clinic.server.url,
        token,
        `/api/patients/${patientId}`,
      );
      const ws = record.calibration.right!;
      const trials = [...detail.trials].sort((a, b) => a.trialNumber - b.trialNumber);
      expect(trials).toHaveLength(5);
      const after = trials.slice(1);
      for (const t of after)
        expect(chosen, `trial ${t.trialNumber}`).toContain(sectorOf(ws, t.target));
      // The change is explained once, on the first trial placed under it.
      expect(trials.map((t) => t.placementReason ?? null)).toEqual([
        null,
        expect.stringMatching(/^Targets only where the therapist chose: .+ \(2 sectors\)/),
        null,
        null,
        null,
      ]);
      expect(sectorShortName(chosen[0]!)).toBe('ahead');

      // The map on the server holds all five trials, four of them in the chosen sectors.
      const maps = await getOk<{ right: { sectors: { counts: [number, number, number][] }[] } }>(
        clinic.server.url,
        token,
        `/api/patients/${patientId}/performance-map`,
      );
      const trialsIn = (sector: number) =>
        maps.right.sectors[sector]!.counts.reduce((n, [, trials]) => n + trials, 0);
      expect(chosen.map(trialsIn).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});
