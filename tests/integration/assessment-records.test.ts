import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTherapist } from '../../server/auth/therapist-repository';
import { insertPatient } from '../../server/patients/repository';
import { upsertSessionStart } from '../../server/sessions/repository';
import { insertTrialOnce, listTrialResults } from '../../server/sessions/trial-repository';
import { migrateToLatest } from '../../server/storage/database';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import { storageBackends } from './databases';
import {
  api,
  connect,
  createPatient,
  makeTrial,
  pairDeviceToken,
  request,
  startSession,
  therapistWithToken,
  type TestSocket,
} from './helpers';

/** Trial 1 of the standard reach test, trial 2 of the plan, trial 3 from a headset before the mark. */
function sessionTrials(sessionId: string) {
  const assessment = { ...makeTrial(sessionId, 1), assessment: true };
  const adaptive = makeTrial(sessionId, 2);
  const { assessment: _absent, ...older } = makeTrial(sessionId, 3);
  return { assessment, adaptive, older };
}

describe('the assessment mark through the API, trials.csv and FHIR', () => {
  let server: InProcessServer;
  let token: string;
  let device: TestSocket;
  let sessionId: string;

  beforeAll(async () => {
    server = await startInProcessServer();
    token = await therapistWithToken(server, 'astrid');
    const patientId = (await createPatient(server.url, token, 'A-1')).id;
    device = await connect(server.url, await pairDeviceToken(server.url, token, patientId));
    sessionId = (await startSession(device)).sessionId;
    const { assessment, adaptive, older } = sessionTrials(sessionId);
    for (const trial of [assessment, adaptive, older])
      expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    device?.close();
    await server?.close();
  });

  it('gives each stored trial its mark; a trial sent without one is not an assessment', async () => {
    const got = await api<{ trials: { trialNumber: number; assessment: boolean }[] }>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}`,
      token,
    );
    expect(got.status).toBe(200);
    expect(got.body.trials.map((t) => [t.trialNumber, t.assessment])).toEqual([
      [1, true],
      [2, false],
      [3, false],
    ]);
  });

  it('writes the mark in the assessment column of trials.csv, before baseline_flags', async () => {
    const csv = await api<string>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}/trials.csv`,
      token,
    );
    const lines = csv.body.trim().split('\r\n');
    // columns are only ever added at the end, so a reader of older files finds the mark where it was
    expect(lines[0]!.split(',').slice(-2)).toEqual(['assessment', 'baseline_flags']);
    expect(lines.slice(1).map((l) => l.split(',').at(-2))).toEqual(['true', 'false', 'false']);
  });

  it("codes each trial's kind in FHIR: assessment or adaptive", async () => {
    type Coded = { code: { coding: { code: string }[] }; valueCodeableConcept?: Coded['code'] };
    const fhir = await api<{ entry: { resource: Coded & { component?: Coded[] } }[] }>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}/fhir`,
      token,
    );
    const kinds = fhir.body.entry
      .map((e) => e.resource)
      .filter((r) => r.code.coding[0]!.code === 'reach-trial')
      .map(
        (r) =>
          r.component!.find((c) => c.code.coding[0]!.code === 'trial-kind')!.valueCodeableConcept!
            .coding[0]!.code,
      );
    expect(kinds).toEqual(['assessment', 'adaptive', 'adaptive']);
  });
});

describe.each(storageBackends('assessment-records'))(
  'the assessment column on $name',
  (backend) => {
    it('is stored with the trial and read back as the mark', async () => {
      const { db, cleanup } = await backend.open();
      try {
        await migrateToLatest(db);
        const therapistId = (await createTherapist(db, 'bo', 'hash')).id;
        const patientId = (
          await insertPatient(db, therapistId, {
            code: 'A-2',
            label: 'A',
            affectedArm: 'right',
            posture: 'seated',
            notes: '',
          })
        ).id;
        const session = await upsertSessionStart(db, {
          id: randomUUID(),
          patient_id: patientId,
          device_id: 'dev',
          mode: 'live',
          started_at: '2026-01-05T10:00:00.000Z',
          calibration_json: null,
        });
        const { assessment, adaptive } = sessionTrials(session.id);
        await insertTrialOnce(db, patientId, assessment);
        await insertTrialOnce(db, patientId, adaptive);
        const column = await db
          .selectFrom('trials')
          .select(['trial_number', 'assessment'])
          .orderBy('trial_number')
          .execute();
        expect(column.map((r) => [r.trial_number, Number(r.assessment)])).toEqual([
          [1, 1],
          [2, 0],
        ]);
        const listed = await listTrialResults(db, [session.id]);
        expect(listed.map((t) => t.assessment)).toEqual([true, false]);
      } finally {
        await cleanup();
      }
    });
  },
);
