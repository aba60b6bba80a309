import { Router } from 'express';
import type { ReachContext } from '../context';
import { loadSessionsWithTrials, toSessionRecord } from '../records/session-records';
import { appendAudit, listAudit } from '../storage/audit';
import { listDevices } from '../storage/devices';
import { toPatientRecord } from '../storage/patients';
import { findSession, listSessions } from '../storage/sessions';
import { listFullTrials } from '../storage/trials';
import { ownedPatient, requireRole, therapistOf } from './authenticate';
import { HttpError } from './errors';

export function sessionRoutes(ctx: ReachContext): Router {
  const router = Router();
  router.use(['/api/sessions', '/api/patients'], requireRole(ctx, 'therapist'));

  /** The session, when its patient belongs to the calling therapist. */
  const ownedSession = async (res: Parameters<typeof ownedPatient>[1], sessionId: string) => {
    const session = await findSession(ctx.db, sessionId);
    if (session === undefined) throw new HttpError('not_found', 'no such session');
    const patient = await ownedPatient(ctx, res, session.patient_id).catch(() => {
      throw new HttpError('not_found', 'no such session');
    });
    return { session, patient };
  };

  router.get('/api/patients/:id/sessions', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    const sessions = await loadSessionsWithTrials(ctx.db, await listSessions(ctx.db, patient.id));
    res.json({ sessions: sessions.map((s) => toSessionRecord(s.row, s.trials)) });
  });

  router.get('/api/sessions/:id', async (req, res) => {
    const { session } = await ownedSession(res, req.params.id);
    const [{ trials }] = await loadSessionsWithTrials(ctx.db, [session]);
    res.json({ session: toSessionRecord(session, trials!), trials });
  });

  router.get('/api/patients/:id/audit', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    res.json({ entries: await listAudit(ctx.db, patient.id) });
  });

  router.get('/api/patients/:id/export', async (req, res) => {
    const row = await ownedPatient(ctx, res, req.params.id);
    const sessionRows = await listSessions(ctx.db, row.id);
    const sessions = [];
    for (const { row: s, trials } of await loadSessionsWithTrials(ctx.db, sessionRows)) {
      sessions.push({ ...toSessionRecord(s, trials), trials: await listFullTrials(ctx.db, s.id) });
    }
    const devices = (await listDevices(ctx.db, row.id)).map((d) => ({
      id: d.id,
      createdAt: d.created_at,
      lastSeenAt: d.last_seen_at,
      revokedAt: d.revoked_at,
    }));
    await appendAudit(ctx.db, {
      actorKind: 'therapist',
      actorId: therapistOf(res).therapistId,
      patientId: row.id,
      action: 'export.patient',
    });
    res.setHeader('content-disposition', `attachment; filename="patient-${row.code}.json"`);
    res.json({
      exportedAt: new Date().toISOString(),
      patient: toPatientRecord(row),
      devices,
      sessions,
      audit: await listAudit(ctx.db, row.id, 100_000),
    });
  });

  return router;
}
