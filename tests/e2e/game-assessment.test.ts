import { describe, expect, it } from 'vitest';
import { assessmentTargets } from '../../shared/clinical';
import type { Workspace } from '../../shared/protocol';
import { getOk } from '../support/clinic';
import {
  gameState,
  nextTrial,
  reachTo,
  trialCountAbove,
  type V3,
  playClinicGame,
  useGameClinic,
} from './game-driver';

// One adaptive trial after the test; `assessment=1` keeps the test that `tasks=` would leave out.
const GAME_PARAMS =
  '&automation=1&tasks=touch:1&assessment=1&instruction=0.3&interTrial=0.3&calibrationHold=0.4' +
  '&seed=13&timeLimitEasy=10&timeLimitHard=5';

type StoredTrial = {
  trialNumber: number;
  assessment: boolean;
  task: string;
  outcome: string;
  target: V3;
  levelBefore: number;
  levelAfter: number;
  params: { targetRadius: number; timeLimit: number };
};

describe('the standard reach test on a paired headset', () => {
  const clinic = useGameClinic('dr-ash');

  it(
    'plays the 8 fixed targets first, as a warm-up, and stores them marked at the 8 directions',
    { timeout: 300_000 },
    async () => {
      const { token, patientId, page, errors } = await playClinicGame(clinic, 'T-008', GAME_PARAMS);
      const sessionId = (await gameState(page)).sessionId;

      // Every target of the block and the adaptive trial after it: reached with the controller.
      for (let n = 0; n < 9; n++) {
        const s = await nextTrial(page);
        expect(s.status).toBe('running');
        if (n < 8) expect(s.instruction).toMatch(/^A short warm-up\./);
        await page.waitForTimeout(200);
        await reachTo(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.5);
        await trialCountAbove(page, n);
      }
      await page.waitForFunction(() => window.__reach!.getState().status === 'ended', null, {
        timeout: 30_000,
      });
      type Detail = { session: { endedAt: string | null }; trials: StoredTrial[] };
      const detail = () => getOk<Detail>(clinic.server.url, token, `/api/sessions/${sessionId}`);
      await expect
        .poll(async () => (await detail()).session.endedAt, { timeout: 30_000 })
        .not.toBeNull();
      const { trials } = await detail();
      expect(trials.map((t) => [t.trialNumber, t.assessment])).toEqual([
        ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n, true]),
        [9, false],
      ]);
      const block = trials.slice(0, 8);
      expect(block.every((t) => t.task === 'touch' && t.levelBefore === t.levelAfter)).toBe(true);
      expect(block.map((t) => [t.params.targetRadius, t.params.timeLimit])).toEqual(
        Array.from({ length: 8 }, () => [0.04, 5]),
      );
      expect(block.filter((t) => t.outcome === 'hit').length).toBeGreaterThanOrEqual(7);
      // Each stored target is one of the 8 directions of the calibration the session saved.
      const record = await getOk<{ calibration: { right: Workspace } }>(
        clinic.server.url,
        token,
        `/api/patients/${patientId}`,
      );
      const directions = assessmentTargets(record.calibration.right);
      const directionOf = (target: V3) =>
        directions.findIndex((d) => Math.hypot(...d.position.map((v, i) => v - target[i]!)) < 1e-6);
      expect(block.map((t) => directionOf(t.target)).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      // The adaptive trial moved the level; the test never did.
      expect(trials[8]!.levelAfter).not.toBe(trials[8]!.levelBefore);
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});
