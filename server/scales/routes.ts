import { Router, type Response } from 'express';
import { scalesToCsv, scalesToFhirBundle } from '../../shared/clinical';
import { scaleEntryCorrectionSchema, scaleEntryInputSchema } from '../../shared/protocol/scales';
import type { ReachContext } from '../context';
import { ownedPatient, requireRole, therapistOf } from '../http/authenticate';
import { HttpError, parseBody } from '../http/errors';

/**
 * Clinical scales the therapist measured (Fugl-Meyer, ARAT, Box and Block): recorded, corrected
 * and deleted by the patient's own therapist only, each change audited with its old value.
 */
export function scaleRoutes(ctx: ReachContext): Router {
  const router = Router();
  router.use('/api/patients', requireRole(ctx, 'therapist'));

  const audit = (
    res: Response,
    patientId: string,
    action: string,
    oldValue?: unknown,
    newValue?: unknown,
  ) =>
    ctx.audit.append({
      actorKind: 'therapist',
      actorId: therapistOf(res).therapistId,
      patientId,
      action,
      oldValue,
      newValue,
    });

  const ownedEntry = async (res: Response, patientId: string, entryId: string) => {
    const patient = await ownedPatient(ctx, res, patientId);
    const entry = await ctx.scales.find(patient.id, entryId);
    if (entry === undefined) throw new HttpError('not_found', 'no such score');
    return { patient, entry };
  };

  router.get('/api/patients/:id/scales', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    res.json({ entries: await ctx.scales.list(patient.id) });
  });

  router.post('/api/patients/:id/scales', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    const input = parseBody(scaleEntryInputSchema, req);
    const entry = await ctx.scales.insert(patient.id, therapistOf(res).therapistId, input);
    await audit(res, patient.id, 'scale.record', undefined, entry);
    res.status(201).json(entry);
  });

  router.patch('/api/patients/:id/scales/:entryId', async (req, res) => {
    const { patient, entry } = await ownedEntry(res, req.params.id, req.params.entryId);
    const correction = parseBody(scaleEntryCorrectionSchema, req);
    // The corrected entry must be valid as a new one would be (the range is the scale's).
    const checked = scaleEntryInputSchema.safeParse({
      scale: entry.scale,
      arm: correction.arm ?? entry.arm,
      value: correction.value ?? entry.value,
      measuredOn: correction.measuredOn ?? entry.measuredOn,
      note: correction.note ?? entry.note,
    });
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new HttpError('invalid_payload', `${issue.path.join('.')}: ${issue.message}`);
    }
    const corrected = await ctx.scales.correct(patient.id, entry.id, checked.data);
    await audit(res, patient.id, 'scale.correct', entry, corrected);
    res.json(corrected);
  });

  router.delete('/api/patients/:id/scales/:entryId', async (req, res) => {
    const { patient, entry } = await ownedEntry(res, req.params.id, req.params.entryId);
    await ctx.scales.remove(patient.id, entry.id);
    await audit(res, patient.id, 'scale.delete', entry);
    res.json({ deleted: true });
  });

  router.get('/api/patients/:id/scales.csv', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    const entries = await ctx.scales.list(patient.id);
    await audit(res, patient.id, 'export.scales_csv');
    res
      .type('text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="scales-${patient.code}.csv"`);
    res.send(scalesToCsv(patient.code, entries));
  });

  router.get('/api/patients/:id/scales/fhir', async (req, res) => {
    const patient = await ownedPatient(ctx, res, req.params.id);
    const entries = await ctx.scales.list(patient.id);
    await audit(res, patient.id, 'export.scales_fhir');
    res.type('application/fhir+json');
    res.send(
      JSON.stringify(
        scalesToFhirBundle(patient.code, entries, { timestamp: new Date().toISOString() }),
      ),
    );
  });

  return router;
}
