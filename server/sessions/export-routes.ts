import { Router, type Response } from 'express';
import {
  ALERT_CSV_COLUMNS,
  alertCsvRows,
  csvLine,
  painAlertRows,
  RATING_CSV_COLUMNS,
  ratingCsvRows,
  ratingObservations,
  SESSION_CSV_COLUMNS,
  sessionCsvRows,
  sessionToFhirBundle,
  sortAlertRows,
  TRIAL_CSV_COLUMNS,
  trialCsvRows,
} from '../../shared/clinical';
import type { ReachContext } from '../context';
import { toClinicalSession, toClinicalSessionRows, toTrialRecord } from './clinical-records';
import { loadSessionsWithTrials } from './session-records';
import { ownedPatient, requireRole, therapistOf } from '../http/authenticate';
import { HttpError } from '../http/errors';
import { ResponseStream } from '../http/stream';

const APP_NAME = 'Reach VR rehabilitation (browser)';
/** CSV rows written per piece, and sessions whose trials one read loads. */
const CSV_ROWS_PER_WRITE = 500;
const CSV_SESSIONS_PER_READ = 200;

/** CSV and FHIR exports, written by the clinical core's record functions. */
export function exportRoutes(ctx: ReachContext): Router {
  const router = Router();
  router.use(['/api/sessions', '/api/patients'], requireRole(ctx, 'therapist'));

  const practitioner = (res: Response) => {
    const me = therapistOf(res);
    return { id: me.therapistId, username: me.username };
  };

  const audited = (res: Response, patientId: string, sessionId: string | null, format: string) =>
    ctx.audit.append({
      actorKind: 'therapist',
      actorId: therapistOf(res).therapistId,
      patientId,
      sessionId,
      action: `export.${format}`,
    });

  const loadOwnedSession = async (res: Response, sessionId: string) => {
    const row = await ctx.sessions.find(sessionId);
    if (row === undefined) throw new HttpError('not_found', 'no such session');
    const patient = await ownedPatient(ctx, res, row.patient_id).catch(() => {
      throw new HttpError('not_found', 'no such session');
    });
    const [loaded] = await loadSessionsWithTrials(ctx.sessions, [row]);
    // What the live check stored about its trials against the patient's baseline, by trial.
    const flags = new Map(
      (await ctx.flags.listOfSession(row.id)).map((stored) => [stored.trialId, stored.flags]),
    );
    const records = loaded!.trials.map((t) =>
      toTrialRecord(t, patient.code, flags.get(t.id) ?? null),
    );
    return { row, patient, trials: loaded!.trials, records };
  };

  router.get('/api/sessions/:id/trials.csv', async (req, res) => {
    const { row, patient, records } = await loadOwnedSession(res, req.params.id);
    await audited(res, patient.id, row.id, 'trials_csv');
    res
      .type('text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="trials-${row.id}.csv"`);
    // Written in pieces (a session holds up to MAX_TRIALS_PER_SESSION trials).
    await ResponseStream.send(res, async (out) => {
      await out.write(csvLine(TRIAL_CSV_COLUMNS));
      for (let from = 0; from < records.length; from += CSV_ROWS_PER_WRITE)
        await out.write(trialCsvRows(records.slice(from, from + CSV_ROWS_PER_WRITE)));
    });
  });

  router.get('/api/sessions/:id/fhir', async (req, res) => {
    const { row, patient, trials, records } = await loadOwnedSession(res, req.params.id);
    const session = toClinicalSession(
      row,
      trials,
      patient.code,
      patient.affected_arm as 'left' | 'right',
      practitioner(res),
    );
    const ratings = (await ctx.ratings.listOfSession(row.id)).map((r) => ({
      ...r,
      patientCode: patient.code,
    }));
    await audited(res, patient.id, row.id, 'fhir');
    const bundle = sessionToFhirBundle(session, records, { deviceName: APP_NAME });
    // The patient's own ratings of the session's sets follow its kinematic Observations.
    const rated = ratingObservations(session, ratings, { deviceName: APP_NAME });
    res.type('application/fhir+json');
    res.send(
      JSON.stringify({
        ...bundle,
        entry: [...bundle.entry, ...rated.map((resource) => ({ resource }))],
      }),
    );
  });

  router.get('/api/patients/:id/ratings.csv', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    // At most 400 rows per session and a few numbers each: read at once.
    const ratings = await ctx.ratings.listOfPatient(patient.id);
    await audited(res, patient.id, null, 'ratings_csv');
    res
      .type('text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="ratings-${patient.code}.csv"`);
    await ResponseStream.send(res, async (out) => {
      await out.write(csvLine(RATING_CSV_COLUMNS));
      for (let from = 0; from < ratings.length; from += CSV_ROWS_PER_WRITE) {
        const piece = ratings.slice(from, from + CSV_ROWS_PER_WRITE);
        await out.write(ratingCsvRows(piece.map((r) => ({ ...r, patientCode: patient.code }))));
      }
    });
  });

  router.get('/api/patients/:id/alerts.csv', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    // At most a few per session (one abnormal-trial alert a minute, one fatigue, one pain per
    // set): read at once.
    const kept = await ctx.flags.alertsOfPatient(patient.id);
    const ratings = await ctx.ratings.listOfPatient(patient.id);
    const rows = sortAlertRows([
      ...kept.map((a) => ({
        ...a,
        patientCode: patient.code,
        setIndex: null,
        pain: null,
        painPauseAt: null,
      })),
      ...painAlertRows(ratings.map((r) => ({ ...r, patientCode: patient.code }))),
    ]);
    await audited(res, patient.id, null, 'alerts_csv');
    res
      .type('text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="alerts-${patient.code}.csv"`);
    await ResponseStream.send(res, async (out) => {
      await out.write(csvLine(ALERT_CSV_COLUMNS));
      for (let from = 0; from < rows.length; from += CSV_ROWS_PER_WRITE)
        await out.write(alertCsvRows(rows.slice(from, from + CSV_ROWS_PER_WRITE)));
    });
  });

  router.get('/api/patients/:id/sessions.csv', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    // Oldest first; read and written a slice of sessions at a time, so memory stays bounded.
    const sessionRows = (await ctx.sessions.list(patient.id)).reverse();
    await audited(res, patient.id, null, 'sessions_csv');
    res
      .type('text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="sessions-${patient.code}.csv"`);
    await ResponseStream.send(res, async (out) => {
      await out.write(csvLine(SESSION_CSV_COLUMNS));
      for (let from = 0; from < sessionRows.length; from += CSV_SESSIONS_PER_READ) {
        const chunk = sessionRows.slice(from, from + CSV_SESSIONS_PER_READ);
        const rows = (await loadSessionsWithTrials(ctx.sessions, chunk)).flatMap(
          ({ row, trials }) =>
            toClinicalSessionRows(
              toClinicalSession(
                row,
                trials,
                patient.code,
                patient.affected_arm as 'left' | 'right',
                practitioner(res),
              ),
              trials.map((t) => toTrialRecord(t, patient.code)),
            ),
        );
        await out.write(sessionCsvRows(rows));
      }
    });
  });

  return router;
}
