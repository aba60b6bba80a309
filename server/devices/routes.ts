import { Router } from 'express';
import { pairRequestSchema, type DeviceMe, type PairResponse } from '../../shared/protocol/http';
import { rooms } from '../auth/principal';
import { DEVICE_TOKEN_PREFIX, hashSecretValue, newToken } from '../auth/tokens';
import type { ReachContext } from '../context';
import { toPatientRecord } from '../patients/repository';
import { clientIp, deviceOf, ownedPatient, requireRole, therapistOf } from '../http/authenticate';
import { HttpError, parseBody } from '../http/errors';
import { closeSession } from '../sessions/close-session';
import { performanceMapSnapshots } from '../sessions/performance-map';

/**
 * And five wrong codes from anywhere void every code pending meanwhile, so many addresses do not
 * buy more guesses: with N codes pending at once, guessing succeeds with probability at most
 * 5N in a million, and the therapist issues a new code.
 */
export const MAX_WRONG_GUESSES_PER_CODE = 5;

export function deviceRoutes(ctx: ReachContext): Router {
  const router = Router();

  router.post('/api/pair', async (req, res) => {
    const ip = clientIp(req);
    const { wrongPairingCodesByIp, pairRequestsByIp } = ctx.limits;
    if ((await wrongPairingCodesByIp.isBlocked(ip)) || (await pairRequestsByIp.isBlocked(ip))) {
      throw new HttpError('rate_limited', 'too many pairing attempts, try again later');
    }
    await pairRequestsByIp.add(ip);
    const { code } = parseBody(pairRequestSchema, req);
    const now = new Date().toISOString();
    const patientId = await ctx.devices.consumePairingCode(hashSecretValue(ctx.secret, code), now);
    const patient = patientId === null ? undefined : await ctx.patients.find(patientId);
    if (patient === undefined) {
      await wrongPairingCodesByIp.add(ip);
      await ctx.audit.append({
        actorKind: 'anonymous',
        actorId: null,
        action: 'pairing.failed',
        newValue: { ip },
      });
      const voided = await ctx.devices.countWrongGuess(now, MAX_WRONG_GUESSES_PER_CODE);
      for (const { patientId, therapistId } of voided) {
        await ctx.audit.append({
          actorKind: 'system',
          actorId: null,
          patientId,
          action: 'pairing.code_voided',
          newValue: { reason: 'too many wrong codes', wrongCodes: MAX_WRONG_GUESSES_PER_CODE },
        });
        // The dashboard stops showing the dead code as valid.
        ctx.io
          ?.to(rooms.therapist(therapistId))
          .emit('pairing:voided', { patientId, voidedAt: now });
      }
      throw new HttpError('not_found', 'this code is wrong, used or expired');
    }
    const deviceToken = newToken(DEVICE_TOKEN_PREFIX);
    const deviceId = await ctx.devices.insert(patient.id, hashSecretValue(ctx.secret, deviceToken));
    await ctx.audit.append({
      actorKind: 'device',
      actorId: deviceId,
      patientId: patient.id,
      action: 'pairing.paired',
      newValue: { deviceId, ip },
    });
    // The therapist's dashboard shows the code as used, and by which headset.
    ctx.io?.to(rooms.therapist(patient.therapist_id)).emit('pairing:used', {
      patientId: patient.id,
      deviceId,
      pairedAt: now,
    });
    const body: PairResponse = { deviceToken, patient: { id: patient.id, label: patient.label } };
    res.status(201).json(body);
  });

  router.get('/api/device/me', requireRole(ctx, 'device'), async (_req, res) => {
    const row = await ctx.patients.find(deviceOf(res).patientId);
    if (row === undefined) throw new HttpError('not_found', 'the patient was erased');
    const patient = toPatientRecord(row);
    const body: DeviceMe = {
      patient: {
        id: patient.id,
        label: patient.label,
        affectedArm: patient.affectedArm,
        posture: patient.posture,
      },
      plan: patient.plan,
      calibration: patient.calibration,
      difficulty: patient.difficulty,
      progress: await ctx.sessions.progressHistory(patient.id),
      performanceMaps: await performanceMapSnapshots(ctx, patient.id),
    };
    res.json(body);
  });

  router.delete('/api/devices/:id', requireRole(ctx, 'therapist'), async (req, res) => {
    const device = await ctx.devices.find(String(req.params.id));
    if (device === undefined) throw new HttpError('not_found', 'no such device');
    await ownedPatient(ctx, res, device.patient_id);
    const therapistId = therapistOf(res).therapistId;
    const revoked = await ctx.devices.revoke(device.id);
    ctx.io?.in(rooms.device(device.id)).disconnectSockets(true);
    if (revoked) {
      await ctx.audit.append({
        actorKind: 'therapist',
        actorId: therapistId,
        patientId: device.patient_id,
        action: 'device.revoke',
        newValue: { deviceId: device.id },
      });
    }
    // An unpaired headset can never send for its session again (its outbox drops what the old
    // pairing recorded): the session would stay open for ever. The therapist ended it, now.
    const played = { patientId: device.patient_id, deviceId: device.id };
    for (const open of await ctx.sessions.findOpenOfDevice(played)) {
      await closeSession(ctx, ctx.io, {
        patientId: device.patient_id,
        sessionId: open.id,
        endedAt: new Date().toISOString(),
        reason: 'therapist',
        actor: { kind: 'therapist', id: therapistId },
      });
    }
    res.json({ revoked: true });
  });

  return router;
}
