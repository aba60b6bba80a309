import { Router } from 'express';
import type { ReachContext } from '../context';
import { loadSessionsWithTrials, toSessionRecord } from '../records/session-records';
import { appendAudit, listAudit } from '../storage/audit';
import { listDevices } from '../storage/devices';
import { toPatientRecord } from '../storage/patients';
import { findSession, listSessions } from '../storage/sessions';
import { listPatientRatings, listSessionRatings } from '../storage/set-ratings';
import { pageFullTrialsJson } from '../storage/trials';
import { ownedPatient, requireRole, therapistOf } from './authenticate';
import { HttpError } from './errors';
import { ResponseStream } from './stream';

/** Sessions whose trial results one read loads, and full trials (with samples) one read loads. */
const EXPORT_SESSIONS_PER_READ = 200;
const EXPORT_TRIALS_PER_READ = 2;

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
    const ratings = await listSessionRatings(ctx.db, session.id);
    res.json({ session: toSessionRecord(session, trials!), trials, ratings });
  });

  router.get('/api/patients/:id/ratings', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    res.json({ ratings: await listPatientRatings(ctx.db, patient.id) });
  });

  router.get('/api/patients/:id/audit', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    res.json({ entries: await listAudit(ctx.db, patient.id) });
  });

  router.get('/api/patients/:id/export', async (req, res) => {
    const row = await ownedPatient(ctx, res, req.params.id);
    const sessionRows = await listSessions(ctx.db, row.id);
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
    res.type('application/json; charset=utf-8');
    // Streamed (patientExportSchema, same keys and order as one JSON document): a patient's
    // samples run to hundreds of MB, more than one string should hold or one request should block.
    await ResponseStream.send(res, async (out) => {
      const head = JSON.stringify({
        exportedAt: new Date().toISOString(),
        patient: toPatientRecord(row),
        devices,
      });
      await out.write(`${head.slice(0, -1)},"sessions":[`);
      let first = true;
      for (let from = 0; from < sessionRows.length; from += EXPORT_SESSIONS_PER_READ) {
        const chunk = sessionRows.slice(from, from + EXPORT_SESSIONS_PER_READ);
        for (const { row: session, trials } of await loadSessionsWithTrials(ctx.db, chunk)) {
          // `trials` is the record's last key: its empty array is reopened for the full trials.
          const record = JSON.stringify({ ...toSessionRecord(session, trials), trials: [] });
          await out.write(`${first ? '' : ','}${record.slice(0, -2)}`);
          first = false;
          for (let offset = 0; ; offset += EXPORT_TRIALS_PER_READ) {
            const page = await pageFullTrialsJson(
              ctx.db,
              session.id,
              offset,
              EXPORT_TRIALS_PER_READ,
            );
            if (page.length > 0) await out.write(`${offset === 0 ? '' : ','}${page.join(',')}`);
            if (page.length < EXPORT_TRIALS_PER_READ) break;
          }
          await out.write(']}');
        }
      }
      const ratings = await listPatientRatings(ctx.db, row.id);
      const audit = await listAudit(ctx.db, row.id, 100_000);
      await out.write(`],"ratings":${JSON.stringify(ratings)},"audit":${JSON.stringify(audit)}}`);
    });
  });

  return router;
}
