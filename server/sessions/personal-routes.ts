import { Router, type Response } from 'express';
import {
  csvLine,
  MAP_CSV_COLUMNS,
  mapCsvRows,
  personalTrends,
  personalTrial,
  TREND_CSV_COLUMNS,
  trendCsvRows,
  type Arm,
  type PersonalSession,
} from '../../shared/clinical';
import type { SessionPersonal, TrialResult } from '../../shared/protocol';
import type { ReachContext } from '../context';
import type { PatientRow } from '../patients/repository';
import { calibrationOrError } from '../patients/stored-calibration';
import { ownedPatient, requireRole, therapistOf } from '../http/authenticate';
import { HttpError } from '../http/errors';
import { loadSessionsWithTrials, toSessionRecord } from './session-records';

/** Sessions whose trials one read loads. */
const SESSIONS_PER_READ = 200;

const ARMS: readonly Arm[] = ['right', 'left'];

/**
 * Issue 12 for the therapist's records: the session report's flags and recovery projections,
 * and the map and the trends as CSV (access-controlled and audited like the other exports).
 * Everything is derived from the stored trials (sectors from the patient's current calibration,
 * as on the history page), except the flags, which are stored as the live check found them.
 */
export function personalRoutes(ctx: ReachContext): Router {
  const router = Router();
  router.use(['/api/sessions', '/api/patients'], requireRole(ctx, 'therapist'));

  /** The patient's sessions (oldest first, up to `until` when given) as the trends read them. */
  const loadPersonal = async (patient: PatientRow, until?: string) => {
    const calibration = calibrationOrError(patient.calibration_json, "the patient's");
    const rows = (await ctx.sessions.list(patient.id))
      .reverse()
      .filter((r) => until === undefined || r.started_at <= until);
    const sessions: PersonalSession[] = [];
    for (let from = 0; from < rows.length; from += SESSIONS_PER_READ) {
      const chunk = await loadSessionsWithTrials(
        ctx.sessions,
        rows.slice(from, from + SESSIONS_PER_READ),
      );
      for (const { row, trials } of chunk) {
        const record = toSessionRecord(row, trials);
        sessions.push({
          startedAt: row.started_at,
          levelEnd: record.summary.levelEnd,
          reachWorkspace: record.summary.reachWorkspace,
          trials: trials.map((t: TrialResult) => personalTrial(t, calibration?.[t.arm])),
        });
      }
    }
    const arms = ARMS.filter((arm) => sessions.some((s) => s.trials.some((t) => t.arm === arm)));
    return { sessions, arms };
  };

  const audited = (res: Response, patientId: string, format: string) =>
    ctx.audit.append({
      actorKind: 'therapist',
      actorId: therapistOf(res).therapistId,
      patientId,
      sessionId: null,
      action: `export.${format}`,
    });

  const csvHeaders = (res: Response, name: string) =>
    res
      .type('text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="${name}.csv"`);

  router.get('/api/sessions/:id/personal', async (req, res) => {
    const row = await ctx.sessions.find(req.params.id);
    if (row === undefined) throw new HttpError('not_found', 'no such session');
    const patient = await ownedPatient(ctx, res, row.patient_id).catch(() => {
      throw new HttpError('not_found', 'no such session');
    });
    const trials = await ctx.sessions.listTrialResults([row.id]);
    const byId = new Map(trials.map((t) => [t.id, t]));
    const stored = await ctx.flags.listOfSession(row.id);
    const flags = stored
      .flatMap(({ trialId, flags: f }) => {
        const t = byId.get(trialId);
        return t === undefined || f.flags.length === 0
          ? []
          : [
              {
                trialId,
                trialNumber: t.trialNumber,
                task: t.task,
                arm: t.arm,
                endedAt: t.endedAt,
                assessment: t.assessment,
                flags: f.flags,
                text: f.text,
              },
            ];
      })
      .sort((a, b) => a.trialNumber - b.trialNumber);
    const fatigue = stored.find((s) => s.flags.fatigue !== undefined)?.flags.fatigue ?? null;
    const played = ARMS.filter((arm) => trials.some((t) => t.arm === arm));
    const { sessions } = await loadPersonal(patient, row.started_at);
    const answer: SessionPersonal = {
      flags,
      fatigue,
      trends: played.flatMap((arm) =>
        personalTrends(sessions, arm).map((t) => ({
          arm,
          measure: t.measure,
          state: t.state,
          text: t.text,
        })),
      ),
    };
    res.json(answer);
  });

  router.get('/api/patients/:id/map.csv', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    const { sessions } = await loadPersonal(patient);
    await audited(res, patient.id, 'map_csv');
    csvHeaders(res, `map-${patient.code}`);
    res.send(
      csvLine(MAP_CSV_COLUMNS) +
        mapCsvRows(
          patient.code,
          sessions.flatMap((s) => s.trials),
        ),
    );
  });

  router.get('/api/patients/:id/trends.csv', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    const { sessions, arms } = await loadPersonal(patient);
    await audited(res, patient.id, 'trends_csv');
    csvHeaders(res, `trends-${patient.code}`);
    res.send(
      csvLine(TREND_CSV_COLUMNS) +
        arms.map((arm) => trendCsvRows(patient.code, arm, personalTrends(sessions, arm))).join(''),
    );
  });

  return router;
}
