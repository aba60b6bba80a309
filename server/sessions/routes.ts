import { Router } from 'express';
import type { ReachContext } from '../context';
import { loadSessionsWithTrials, toSessionRecord } from './session-records';
import { toPatientRecord } from '../patients/repository';
import { ownedPatient, requireRole, therapistOf } from '../http/authenticate';
import { HttpError } from '../http/errors';
import { ResponseStream } from '../http/stream';

/** Sessions whose trial results one read loads, and full trials (with samples) one read loads. */
const EXPORT_SESSIONS_PER_READ = 200;
const EXPORT_TRIALS_PER_READ = 2;

export function sessionRoutes(ctx: ReachContext): Router {
  const router = Router();
  router.use(['/api/sessions', '/api/patients'], requireRole(ctx, 'therapist'));

  /** The session, when its patient belongs to the calling therapist. */
  const ownedSession = async (res: Parameters<typeof ownedPatient>[1], sessionId: string) => {
    const session = await ctx.sessions.find(sessionId);
    if (session === undefined) throw new HttpError('not_found', 'no such session');
    const patient = await ownedPatient(ctx, res, session.patient_id).catch(() => {
      throw new HttpError('not_found', 'no such session');
    });
    return { session, patient };
  };

  router.get('/api/patients/:id/sessions', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    const sessions = await loadSessionsWithTrials(
      ctx.sessions,
      await ctx.sessions.list(patient.id),
    );
    res.json({ sessions: sessions.map((s) => toSessionRecord(s.row, s.trials)) });
  });

  router.get('/api/sessions/:id', async (req, res) => {
    const { session } = await ownedSession(res, req.params.id);
    const [{ trials }] = await loadSessionsWithTrials(ctx.sessions, [session]);
    const ratings = await ctx.ratings.listOfSession(session.id);
    const flags = await ctx.flags.listOfSession(session.id);
    const alert = (await ctx.flags.latestAlertOfSession(session.id)) ?? null;
    res.json({ session: toSessionRecord(session, trials!), trials, ratings, flags, alert });
  });

  router.get('/api/patients/:id/ratings', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    res.json({ ratings: await ctx.ratings.listOfPatient(patient.id) });
  });

  router.get('/api/patients/:id/audit', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    res.json({ entries: await ctx.audit.list(patient.id) });
  });

  router.get('/api/patients/:id/export', async (req, res) => {
    const row = await ownedPatient(ctx, res, req.params.id);
    const sessionRows = await ctx.sessions.list(row.id);
    const devices = (await ctx.devices.list(row.id)).map((d) => ({
      id: d.id,
      createdAt: d.created_at,
      lastSeenAt: d.last_seen_at,
      revokedAt: d.revoked_at,
    }));
    await ctx.audit.append({
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
        scales: await ctx.scales.list(row.id),
      });
      await out.write(`${head.slice(0, -1)},"sessions":[`);
      let first = true;
      for (let from = 0; from < sessionRows.length; from += EXPORT_SESSIONS_PER_READ) {
        const chunk = sessionRows.slice(from, from + EXPORT_SESSIONS_PER_READ);
        for (const { row: session, trials } of await loadSessionsWithTrials(ctx.sessions, chunk)) {
          // `trials` is the record's last key: its empty array is reopened for the full trials.
          const record = JSON.stringify({ ...toSessionRecord(session, trials), trials: [] });
          await out.write(`${first ? '' : ','}${record.slice(0, -2)}`);
          first = false;
          for (let offset = 0; ; offset += EXPORT_TRIALS_PER_READ) {
            const page = await ctx.sessions.pageFullTrialsJson(
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
      const ratings = await ctx.ratings.listOfPatient(row.id);
      const trialFlags = await ctx.flags.listOfPatient(row.id);
      const alerts = await ctx.flags.abnormalAlertsOfPatient(row.id);
      const audit = await ctx.audit.list(row.id, 100_000);
      await out.write(
        `],"ratings":${JSON.stringify(ratings)},"trialFlags":${JSON.stringify(trialFlags)},` +
          `"alerts":${JSON.stringify(alerts)},"audit":${JSON.stringify(audit)}}`,
      );
    });
  });

  return router;
}
