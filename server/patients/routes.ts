import { Router } from 'express';
import {
  patientCreateSchema,
  patientPatchSchema,
  type DeviceList,
  type PairingCodeResponse,
  type PairingStatus,
  type PatientListItem,
  type PerformanceMaps,
} from '../../shared/protocol/http';
import { rooms } from '../auth/principal';
import { hashSecretValue, newPairingCode } from '../auth/tokens';
import type { ReachContext } from '../context';
import { performanceMapSnapshots } from '../sessions/performance-map';
import { medianMovementTime } from '../sessions/session-measures';
import { toSessionRecord, withTrials } from '../sessions/session-records';
import { eraseFromDisk } from '../storage/database';
import { toPatientRecord } from './repository';
import { ownedPatient, requireRole, therapistOf } from '../http/authenticate';
import { HttpError, parseBody } from '../http/errors';
import { MAX_WRONG_GUESSES_PER_CODE } from '../devices/routes';

const TREND_SESSIONS = 10;
const WEEK_MS = 7 * 24 * 3600 * 1000;

export function patientRoutes(ctx: ReachContext): Router {
  const router = Router();
  router.use('/api/patients', requireRole(ctx, 'therapist'));

  router.get('/api/patients', async (_req, res) => {
    const { therapistId } = therapistOf(res);
    const rows = await ctx.patients.listOfTherapist(therapistId);
    // Only what the list shows (the recent sessions, not every trial the patient ever did), for
    // all patients at once: a fixed number of queries however many patients there are.
    const recentOfAll = await ctx.sessions.listRecentOfTherapist(therapistId, TREND_SESSIONS);
    const weekAgo = new Date(Date.now() - WEEK_MS).toISOString();
    const thisWeek = await ctx.sessions.countSinceByPatient(therapistId, weekAgo);
    const recentByPatient = new Map<string, ReturnType<typeof withTrials>>();
    for (const session of withTrials(recentOfAll.sessions, recentOfAll.trials)) {
      const list = recentByPatient.get(session.row.patient_id);
      if (list === undefined) recentByPatient.set(session.row.patient_id, [session]);
      else list.push(session);
    }
    const patients: PatientListItem[] = [];
    for (const row of rows) {
      const recent = recentByPatient.get(row.id) ?? [];
      const records = recent.map((s) => toSessionRecord(s.row, s.trials));
      patients.push({
        ...toPatientRecord(row),
        lastSession: records[0] ?? null,
        sessionsThisWeek: thisWeek.get(row.id) ?? 0,
        trend: recent
          .map((s, i) => ({
            sessionId: s.row.id,
            startedAt: s.row.started_at,
            successRate: records[i]!.summary.successRate,
            levelEnd: records[i]!.summary.levelEnd,
            movementTimeMedian: medianMovementTime(s.trials),
          }))
          .reverse(),
      });
    }
    res.json({ patients });
  });

  router.post('/api/patients', async (req, res) => {
    const me = therapistOf(res);
    const input = parseBody(patientCreateSchema, req);
    if ((await ctx.patients.findByCode(me.therapistId, input.code)) !== undefined) {
      throw new HttpError('conflict', 'a patient with this code exists');
    }
    const patient = await ctx.patients.insert(me.therapistId, input);
    await ctx.audit.append({
      actorKind: 'therapist',
      actorId: me.therapistId,
      patientId: patient.id,
      action: 'patient.create',
      newValue: input,
    });
    res.status(201).json(patient);
  });

  router.get('/api/patients/:id', async (req, res) => {
    res.json(toPatientRecord(await ownedPatient(ctx, res, req.params.id)));
  });

  /** Both arms' performance maps, as the headset has them (the live view fetches it per trial). */
  router.get('/api/patients/:id/performance-map', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    const body: PerformanceMaps = await performanceMapSnapshots(ctx, patient.id);
    res.json(body);
  });

  router.patch('/api/patients/:id', async (req, res) => {
    const before = toPatientRecord(await ownedPatient(ctx, res, req.params.id));
    const patch = parseBody(patientPatchSchema, req);
    await ctx.patients.update(before.id, patch);
    const oldValue = Object.fromEntries(
      Object.keys(patch).map((k) => [k, before[k as keyof typeof patch]]),
    );
    await ctx.audit.append({
      actorKind: 'therapist',
      actorId: therapistOf(res).therapistId,
      patientId: before.id,
      action: 'patient.update',
      oldValue,
      newValue: patch,
    });
    res.json(toPatientRecord(await ownedPatient(ctx, res, before.id)));
  });

  router.delete('/api/patients/:id', async (req, res) => {
    const row = await ownedPatient(ctx, res, req.params.id);
    const devices = await ctx.devices.list(row.id);
    await ctx.patients.erase(row.id);
    for (const d of devices) ctx.io?.in(rooms.device(d.id)).disconnectSockets(true);
    ctx.live.forget(row.id);
    // Kept after erasure on purpose: that an erasure happened, with no data about the patient.
    await ctx.audit.append({
      actorKind: 'therapist',
      actorId: therapistOf(res).therapistId,
      patientId: row.id,
      action: 'patient.erase',
    });
    try {
      await eraseFromDisk(ctx.db);
    } catch (err) {
      // The rows are gone; their old bytes leave the WAL once SQLite next resets it.
      ctx.log.warn('erasure not yet checkpointed', { err: String(err) });
    }
    res.json({ erased: true });
  });

  router.post('/api/patients/:id/pairing-code', async (req, res) => {
    const row = await ownedPatient(ctx, res, req.params.id);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + ctx.config.pairingTtlSeconds * 1000).toISOString();
    await ctx.devices.expirePendingCodes(row.id, now.toISOString());
    let code = newPairingCode();
    // Two patients' pending codes must never collide, or one headset could pair with the other.
    while (
      await ctx.devices.isCodeHashPending(hashSecretValue(ctx.secret, code), now.toISOString())
    ) {
      code = newPairingCode();
    }
    const issuedAt = now.toISOString();
    await ctx.devices.insertPairingCode(
      row.id,
      hashSecretValue(ctx.secret, code),
      issuedAt,
      expiresAt,
    );
    await ctx.audit.append({
      actorKind: 'therapist',
      actorId: therapistOf(res).therapistId,
      patientId: row.id,
      action: 'pairing.code_issued',
      newValue: { expiresAt },
    });
    res.status(201).json({ code, issuedAt, expiresAt } satisfies PairingCodeResponse);
  });

  router.get('/api/patients/:id/pairing-code', async (req, res) => {
    const row = await ownedPatient(ctx, res, req.params.id);
    const latest = await ctx.devices.latestPairingCode(
      row.id,
      new Date().toISOString(),
      MAX_WRONG_GUESSES_PER_CODE,
    );
    res.json({ latest } satisfies PairingStatus);
  });

  router.get('/api/patients/:id/devices', async (req, res) => {
    const row = await ownedPatient(ctx, res, req.params.id);
    const devices = await ctx.devices.list(row.id);
    const listed: DeviceList['devices'] = [];
    for (const d of devices) {
      const open =
        d.revoked_at === null
          ? await ctx.sessions.findOpenOfDevice({ patientId: row.id, deviceId: d.id })
          : [];
      listed.push({
        id: d.id,
        createdAt: d.created_at,
        lastSeenAt: d.last_seen_at,
        revokedAt: d.revoked_at,
        openSessionId: open[0]?.id ?? null,
      });
    }
    res.json({ devices: listed } satisfies DeviceList);
  });

  return router;
}
