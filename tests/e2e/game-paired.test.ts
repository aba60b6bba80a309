import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import {
  createPoseFrame,
  decodePoseFrame,
  HAND_JOINTS,
  poseFrameFromBase64,
  type PoseFrame,
} from '../../shared/protocol';
import { getOk } from '../support/clinic';
import {
  gameState,
  nextTrial,
  reachTo,
  setInputMode,
  trialCountAbove,
  type V3,
  playClinicGame,
  watchPatient,
  useGameClinic,
} from './game-driver';

const GAME_PARAMS =
  '&automation=1&tasks=touch:3&instruction=0.3&interTrial=0.3&calibrationHold=0.4&seed=7' +
  '&timeLimitEasy=10&timeLimitHard=5';

const norm = (q: Float32Array) => Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!);

/** Relayed pose frames, decoded, with their arrival times. */
function collectPoses(therapist: Socket) {
  const frames: { at: number; frame: PoseFrame }[] = [];
  therapist.on('live:pose', ([, text]: [string, string]) => {
    const frame = createPoseFrame();
    const bytes = poseFrameFromBase64(text);
    if (bytes !== null && decodePoseFrame(bytes, frame)) frames.push({ at: Date.now(), frame });
  });
  return frames;
}

describe('a paired headset', () => {
  const clinic = useGameClinic('dr-lee');

  it(
    'pairs with a code, obeys the therapist, and delivers its records in order',
    { timeout: 300_000 },
    async () => {
      const { token, patientId, page, errors } = await playClinicGame(clinic, 'P-017', GAME_PARAMS);

      const { therapist, live } = await watchPatient(clinic, token, patientId);
      const sessionId = (await gameState(page)).sessionId;
      expect(live?.sessionId).toBe(sessionId);

      // Trial 1: a hit.
      let s = await nextTrial(page);
      await page.waitForTimeout(300);
      await reachTo(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.6);
      await trialCountAbove(page, 0);

      // The therapist pauses; the headset applies it and answers.
      const pause = (await therapist.timeout(5000).emitWithAck('control:send', {
        sessionId,
        commandId: randomUUID(),
        command: { type: 'pause' },
      })) as {
        ok: boolean;
      };
      expect(pause.ok).toBe(true);
      expect((await gameState(page)).status).toBe('paused');
      expect((await gameState(page)).pausedBy).toBe('therapist');

      // While paused (no trial to spoil), the live pose stream: head and controller grips with
      // orientation, in play space, at most 30 Hz.
      const poses = collectPoses(therapist);
      await expect.poll(() => poses.length, { timeout: 10_000 }).toBeGreaterThan(5);
      const started = Date.now();
      const countBefore = poses.length;
      await page.waitForTimeout(2000);
      const perSecond = (poses.length - countBefore) / ((Date.now() - started) / 1000);
      expect(perSecond).toBeGreaterThan(1);
      expect(perSecond).toBeLessThanOrEqual(33);
      const controllers = poses.at(-1)!.frame;
      expect(controllers.present.head).toBe(true);
      expect(controllers.present.rightController && controllers.present.leftController).toBe(true);
      expect(controllers.present.rightHand).toBe(false);
      // The play space is anchored under the head at session start.
      expect(Math.abs(controllers.head.position[0]!)).toBeLessThan(0.05);
      expect(Math.abs(controllers.head.position[2]!)).toBeLessThan(0.05);
      for (const part of ['head', 'leftController', 'rightController'] as const)
        expect(norm(controllers[part].quaternion)).toBeCloseTo(1, 2);

      // Tracked hands: wrist pose and every mirrored joint, close to the wrist.
      await setInputMode(page, 'hand');
      await expect
        .poll(() => poses.at(-1)!.frame.present.rightHand, { timeout: 10_000 })
        .toBe(true);
      const hands = poses.at(-1)!.frame;
      expect(hands.present.leftHand).toBe(true);
      expect(hands.present.rightController).toBe(false);
      expect(norm(hands.rightHand.quaternion)).toBeCloseTo(1, 2);
      const wrist = hands.rightHand.position;
      for (let j = 0; j < HAND_JOINTS.length; j++) {
        const d = Math.hypot(
          hands.rightHand.joints[j * 3]! - wrist[0]!,
          hands.rightHand.joints[j * 3 + 1]! - wrist[1]!,
          hands.rightHand.joints[j * 3 + 2]! - wrist[2]!,
        );
        expect(d, HAND_JOINTS[j]).toBeGreaterThan(0.01);
        expect(d, HAND_JOINTS[j]).toBeLessThan(0.25);
      }
      await setInputMode(page, 'controller');
      const resume = (await therapist.timeout(5000).emitWithAck('control:send', {
        sessionId,
        commandId: randomUUID(),
        command: { type: 'resume' },
      })) as {
        ok: boolean;
      };
      expect(resume.ok).toBe(true);

      // Trial 2: stays still (a miss); trial 3: a hit.
      await nextTrial(page);
      await trialCountAbove(page, 1);
      s = await nextTrial(page);
      await page.waitForTimeout(300);
      await reachTo(page, 'controller-right', s.targets[0]!.worldPosition as V3, 0.6);
      await page.waitForFunction(() => window.__reach!.getState().status === 'ended', null, {
        timeout: 30_000,
      });
      type Detail = {
        session: { id: string; endedAt: string | null; endReason: string | null };
        trials: { trialNumber: number; outcome: string; levelBefore: number; levelAfter: number }[];
      };
      const sessionDetail = () =>
        getOk<Detail>(clinic.server.url, token, `/api/sessions/${sessionId}`);
      // The outbox delivers the last trial and the end just after the game shows its summary.
      await expect
        .poll(async () => (await sessionDetail()).session.endedAt, { timeout: 30_000 })
        .not.toBeNull();
      await page.waitForFunction(() => window.__reach!.getState().outboxLength === 0);

      const played = (await gameState(page)).trials;
      const detail = await sessionDetail();
      expect(detail.session.endReason).toBe('plan_complete');
      expect(
        detail.trials.map((t) => [t.trialNumber, t.outcome, t.levelBefore, t.levelAfter]),
      ).toEqual(played.map((t) => [t.trialNumber, t.outcome, t.levelBefore, t.levelAfter]));
      expect(played.map((t) => t.outcome)).toEqual(['hit', 'miss_not_reached', 'hit']);

      const me = await fetch(`${clinic.server.url}/api/patients/${patientId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const record = (await me.json()) as {
        calibration: { right?: { reach: { forward: number } } };
      };
      expect(record.calibration.right?.reach.forward).toBeCloseTo(0.5, 2);
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});
