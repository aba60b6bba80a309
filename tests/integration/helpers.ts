import { randomUUID } from 'node:crypto';
import type { Trial } from '../../shared/protocol';
import { request, type TestSocket } from '../support/sockets';
import { makeTrial as makeTrialAt } from '../support/trials';

export {
  api,
  createPatient,
  pairDeviceToken,
  PASSWORD,
  setUpClinic,
  therapistWithToken,
} from '../support/clinic';
export { poseFrameText } from '../support/pose-frames';
export { connect, nextEvent, request, sleep, type TestSocket } from '../support/sockets';
export { makeState } from '../support/trials';

/** A trial on a fixed clock with its level rising with its number, so stored records repeat. */
export const makeTrial = (sessionId: string, trialNumber: number, samples = 90): Trial =>
  makeTrialAt(sessionId, trialNumber, samples, {
    startMs: Date.UTC(2026, 0, 5, 10, 0, trialNumber * 5),
    levelBefore: 20 + trialNumber,
  });

export const startSession = (device: TestSocket, sessionId = randomUUID()) =>
  request(device, 'session:start', {
    sessionId,
    mode: 'live',
    startedAt: new Date().toISOString(),
  }).then((answer) => ({ sessionId, answer }));
