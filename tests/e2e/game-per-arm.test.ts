import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIFFICULTY } from '../../shared/clinical';
import type { SessionRecord } from '../../shared/protocol/http';
import { getOk } from '../support/clinic';
import {
  calibrate,
  gameState,
  nextTrial,
  reachFromRest,
  trialCountAbove,
  type V3,
  playClinicGame,
  TEST_REACH,
  therapistSocket,
  useGameClinic,
} from './game-driver';

const GAME_PARAMS =
  '&automation=1&tasks=touch:4&instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=11' +
  '&timeLimitEasy=10&timeLimitHard=5';

type Levels = Partial<Record<'left' | 'right', { level: number }>>;
type Plan = { difficulty: Record<'left' | 'right', { gain: number; maxLevel: number }> };

describe('each arm on its own', () => {
  const clinic = useGameClinic('dr-ames');

  it(
    'plays both arms with their own settings, starting levels and live changes, and stores a level per arm',
    { timeout: 300_000 },
    async () => {
      // Right: default steps (a hit adds 2), starts at 70. Left: gain 4 (a hit adds 1), at most
      // level 40, starts at 20. Trials alternate right, left, right, left.
      const plan = {
        tasks: [{ task: 'touch', sets: 1, repetitions: 4 }],
        restSeconds: 0,
        maxMinutes: 20,
        arm: 'alternate',
        alternateBy: 'trial',
        firstArm: 'right',
        difficulty: {
          right: DEFAULT_DIFFICULTY,
          left: { ...DEFAULT_DIFFICULTY, gain: 4, maxLevel: 40 },
        },
        startLevel: { right: 70, left: 20 },
      };
      const { token, patientId, page, errors } = await playClinicGame(
        clinic,
        'P-ARMS',
        GAME_PARAMS,
        { plan },
      );

      // Trial 1, right arm, at its own starting level.
      let s = await nextTrial(page);
      expect([s.arm, s.level]).toEqual(['right', 70]);
      await page.waitForTimeout(300);
      await reachFromRest(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.6);
      await trialCountAbove(page, 0);

      // Trial 2, left arm: measured first, then played at the left arm's starting level.
      await page.waitForFunction(() => window.__reach!.getState().status === 'calibrating');
      expect((await gameState(page)).arm).toBe('left');
      await calibrate(page, TEST_REACH, 'left');
      s = await nextTrial(page);
      expect([s.arm, s.level]).toEqual(['left', 20]);
      await page.waitForTimeout(300);
      await reachFromRest(page, 'controller-left', s.targets[0]!.worldPosition as V3, 0.6);
      await trialCountAbove(page, 1);

      // Trial 3, right arm; meanwhile the therapist lowers the left arm's ceiling for this session.
      s = await nextTrial(page);
      expect([s.arm, s.level]).toEqual(['right', 72]);
      const therapist = therapistSocket(clinic, token);
      const change = (await therapist.timeout(5000).emitWithAck('control:send', {
        sessionId: s.sessionId,
        commandId: randomUUID(),
        command: { type: 'setDifficulty', arm: 'left', change: { maxLevel: 30, level: 30 } },
      })) as { ok: boolean };
      expect(change.ok).toBe(true);
      // the right arm in play keeps its level
      expect((await gameState(page)).level).toBe(72);
      s = await nextTrial(page);
      await page.waitForTimeout(300);
      await reachFromRest(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.6);
      await trialCountAbove(page, 2);

      // Trial 4, left arm, at the level the therapist set, held by the new ceiling.
      s = await nextTrial(page);
      expect([s.arm, s.level]).toEqual(['left', 30]);
      await page.waitForTimeout(300);
      await reachFromRest(page, 'controller-left', s.targets[0]!.worldPosition as V3, 0.6);
      await page.waitForFunction(() => window.__reach!.getState().status === 'ended', null, {
        timeout: 30_000,
      });
      await page.waitForFunction(() => window.__reach!.getState().outboxLength === 0);

      const played = (await gameState(page)).trials.map((t) => [
        t.arm,
        t.outcome,
        t.levelBefore,
        t.levelAfter,
      ]);
      expect(played).toEqual([
        ['right', 'hit', 70, 72],
        ['left', 'hit', 20, 21],
        ['right', 'hit', 72, 74],
        ['left', 'hit', 30, 30],
      ]);
      const record = await getOk<{ difficulty: Levels; plan: Plan }>(
        clinic.server.url,
        token,
        `/api/patients/${patientId}`,
      );
      await expect
        .poll(
          async () =>
            (
              await getOk<{ difficulty: Levels }>(
                clinic.server.url,
                token,
                `/api/patients/${patientId}`,
              )
            ).difficulty,
          { timeout: 10_000 },
        )
        .toMatchObject({ right: { level: 74 }, left: { level: 30 } });
      // The live change was for this session only: the plan keeps each arm's own settings.
      expect(record.plan.difficulty.left).toMatchObject({ gain: 4, maxLevel: 40 });
      expect(record.plan.difficulty.right).toMatchObject({ gain: 8, maxLevel: 100 });

      // The record keeps each arm on its own: summaries, sessions.csv rows and FHIR Observations.
      const { sessions } = await getOk<{ sessions: SessionRecord[] }>(
        clinic.server.url,
        token,
        `/api/patients/${patientId}/sessions`,
      );
      expect(sessions).toHaveLength(1);
      // Under automation, without a `world` page parameter, the headset draws the plain room.
      expect(sessions[0]!.world).toBe('plain');
      expect(sessions[0]!.arms).toMatchObject({
        right: { trials: 2, hits: 2, successRate: 1, levelStart: 70, levelEnd: 74 },
        left: { trials: 2, hits: 2, successRate: 1, levelStart: 20, levelEnd: 30 },
      });
      const csv = await (
        await fetch(`${clinic.server.url}/api/patients/${patientId}/sessions.csv`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).text();
      const [header, ...rows] = csv
        .trim()
        .split('\r\n')
        .map((line) => line.split(','));
      const column = (name: string) => rows.map((r) => r[header!.indexOf(name)]);
      expect(column('arm')).toEqual(['left', 'right']);
      expect(column('arm_role')).toEqual(['less_affected', 'affected']);
      expect(column('level_start')).toEqual(['20', '70']);
      expect(column('level_end')).toEqual(['30', '74']);
      expect(column('trials')).toEqual(['2', '2']);
      expect(column('world')).toEqual(['plain', 'plain']);
      // the asymmetry sits on the affected arm's row only, a number or empty, never NaN
      const asymmetryColumns = header!.filter((c) => c.endsWith('_asymmetry_pct'));
      expect(asymmetryColumns).toContain('movement_time_s_asymmetry_pct');
      for (const c of asymmetryColumns) {
        expect(column(c)[0]).toBe('');
        expect(column(c)[1]).toMatch(/^(-?\d+(\.\d+)?(e-?\d+)?)?$/);
      }
      const bundle = await getOk<{
        entry: {
          resource: {
            code: { coding: { code: string }[] };
            bodySite: { text: string };
            valueQuantity?: { value: number };
          };
        }[];
      }>(clinic.server.url, token, `/api/sessions/${sessions[0]!.id}/fhir`);
      const levels = bundle.entry
        .map((e) => e.resource)
        .filter((r) => r.code.coding[0]!.code === 'difficulty-level' && r.valueQuantity)
        .map((r) => [r.bodySite.text, r.valueQuantity!.value]);
      expect(levels).toEqual([
        ['left arm', 30],
        ['right arm', 74],
      ]);
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});
