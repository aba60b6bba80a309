import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTherapist } from '../../server/auth/therapist-repository';
import { insertPatient } from '../../server/patients/repository';
import { kyselyFlagRepository } from '../../server/sessions/flag-repository';
import { upsertSessionStart } from '../../server/sessions/repository';
import { insertTrialOnce } from '../../server/sessions/trial-repository';
import { migrateToLatest, type Db } from '../../server/storage/database';
import type { TrialFlags } from '../../shared/protocol';
import { storageBackends } from './databases';
import { makeTrial } from './helpers';

const backends = storageBackends('kept alerts');

const checked: TrialFlags = { state: 'checked', comparable: 20, flags: [], text: 'usual' };

describe.each(backends)('kept alerts (alerts.csv) on $name', (backend) => {
  let db: Db;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ db, cleanup } = await backend.open());
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await cleanup?.();
  });

  /** A patient with one session of `trials` stored trials; their ids, by trial number - 1. */
  async function patientWithTrials(code: string, startedAt: string, trials: number) {
    const therapistId = (await createTherapist(db, `t-${code}`, 'hash')).id;
    const patient = await insertPatient(db, therapistId, {
      code,
      label: code,
      affectedArm: 'right',
      posture: 'seated',
      notes: '',
    });
    const session = await upsertSessionStart(db, {
      id: randomUUID(),
      patient_id: patient.id,
      device_id: 'dev',
      mode: 'live',
      started_at: startedAt,
      calibration_json: null,
    });
    const trialIds: string[] = [];
    for (let n = 1; n <= trials; n++) {
      const trial = makeTrial(session.id, n, 10);
      await insertTrialOnce(db, patient.id, trial);
      trialIds.push(trial.id);
    }
    return { patientId: patient.id, sessionId: session.id, trialIds };
  }

  it('lists each abnormal-trial alert and fatigue report with its trial and session, and only those', async () => {
    const flags = kyselyFlagRepository(db);
    const { patientId, sessionId, trialIds } = await patientWithTrials(
      'KA-1',
      '2026-01-05T10:00:00.000Z',
      4,
    );
    const ids = { patientId, sessionId };
    // Trial 1: checked, nothing to tell; trial 2 carries the session's fatigue.
    await flags.insertOnce({ ...ids, trialId: trialIds[0]!, flags: checked });
    await flags.insertOnce({
      ...ids,
      trialId: trialIds[1]!,
      flags: { ...checked, fatigue: 'Slower.' },
    });
    await flags.insertAlert({
      ...ids,
      trialId: trialIds[2]!,
      trials: 2,
      text: 'A reach unusual for this patient.',
      raisedAt: '2026-01-05T10:00:20.000Z',
    });
    // A fatigue row that no longer parses is left out, as everywhere flags are read.
    await db
      .insertInto('trial_flags')
      .values({
        trial_id: trialIds[3]!,
        session_id: sessionId,
        patient_id: patientId,
        fatigue: 1,
        flags_json: '{torn',
        stored_at: '2026-01-05T10:00:25.000Z',
      })
      .execute();
    // Another patient's alert and fatigue are not this patient's.
    const other = await patientWithTrials('KA-2', '2026-01-06T10:00:00.000Z', 2);
    const otherIds = { patientId: other.patientId, sessionId: other.sessionId };
    await flags.insertOnce({
      ...otherIds,
      trialId: other.trialIds[0]!,
      flags: { ...checked, fatigue: 'Other.' },
    });
    await flags.insertAlert({
      ...otherIds,
      trialId: other.trialIds[1]!,
      trials: 1,
      text: 'Other.',
      raisedAt: '2026-01-06T10:00:10.000Z',
    });

    const kept = await flags.alertsOfPatient(patientId);
    const fatigue = kept.find((a) => a.kind === 'fatigue')!;
    expect(fatigue.raisedAt).toMatch(/^\d{4}-\d\d-\d\dT/); // stored when the flags arrived
    expect(kept.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      {
        kind: 'abnormal_trial',
        sessionId,
        sessionStartedAt: '2026-01-05T10:00:00.000Z',
        raisedAt: '2026-01-05T10:00:20.000Z',
        arm: 'right',
        trialNumber: 3,
        flaggedTrials: 2,
        text: 'A reach unusual for this patient.',
      },
      {
        kind: 'fatigue',
        sessionId,
        sessionStartedAt: '2026-01-05T10:00:00.000Z',
        raisedAt: fatigue.raisedAt,
        arm: 'right',
        trialNumber: 2,
        flaggedTrials: null,
        text: 'Slower.',
      },
    ]);
  });

  it('reads abnormal alerts back as they went out; a row that no longer parses is none', async () => {
    const flags = kyselyFlagRepository(db);
    const { patientId, sessionId, trialIds } = await patientWithTrials(
      'KA-3',
      '2026-01-07T10:00:00.000Z',
      2,
    );
    const sent = {
      trialId: trialIds[0]!,
      trials: 1,
      text: 'A reach unusual for this patient.',
      raisedAt: '2026-01-07T10:00:10.000Z',
    };
    await flags.insertAlert({ ...sent, sessionId, patientId });
    expect(await flags.latestAlertOfSession(sessionId)).toEqual(sent);
    // A later row standing for no trial at all (the schema wants at least one).
    await db
      .insertInto('abnormal_alerts')
      .values({
        trial_id: trialIds[1]!,
        session_id: sessionId,
        patient_id: patientId,
        trials: 0,
        text: 'Torn.',
        raised_at: '2026-01-07T10:00:20.000Z',
      })
      .execute();
    expect(await flags.abnormalAlertsOfPatient(patientId)).toEqual([{ ...sent, sessionId }]);
    expect(await flags.latestAlertOfSession(sessionId)).toBeUndefined();
  });
});
