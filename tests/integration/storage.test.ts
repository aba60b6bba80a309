import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, listAudit } from '../../server/audit/repository';
import { migrateToLatest, type Db } from '../../server/storage/database';
import {
  consumePairingCode,
  insertPairingCode,
} from '../../server/devices/pairing-code-repository';
import {
  erasePatient,
  findPatientRow,
  insertPatient,
  kyselyPatientRepository,
} from '../../server/patients/repository';
import type { Workspace } from '../../shared/protocol';
import {
  countSinceByPatient,
  endSession,
  findOpenSession,
  listRecentOfTherapist,
  upsertSessionStart,
} from '../../server/sessions/repository';
import { createTherapist } from '../../server/auth/therapist-repository';
import {
  insertTrialOnce,
  pageFullTrialsJson,
  listTrialResults,
} from '../../server/sessions/trial-repository';
import { storageBackends } from './databases';
import { makeTrial } from './helpers';

const backends = storageBackends('storage');

describe.each(backends)('storage on $name', (backend) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let patientId: string;
  let therapistId: string;

  beforeAll(async () => {
    ({ db, cleanup } = await backend.open());
    await migrateToLatest(db);
    // A second run finds nothing to do.
    await migrateToLatest(db);
    therapistId = (await createTherapist(db, 'gina', 'hash')).id;
    patientId = (
      await insertPatient(db, therapistId, {
        code: 'S-1',
        label: 'S',
        affectedArm: 'left',
        posture: 'standing',
        notes: '',
      })
    ).id;
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('stores a trial once, with its samples, whatever the retries', async () => {
    const session = await upsertSessionStart(db, {
      id: randomUUID(),
      patient_id: patientId,
      device_id: 'dev',
      mode: 'live',
      started_at: '2026-01-05T10:00:00.000Z',
      calibration_json: null,
    });
    const again = await upsertSessionStart(db, { ...session, device_id: 'other' });
    expect(again.device_id).toBe('dev');
    const trial = makeTrial(session.id, 1, 120);
    const results = await Promise.all([1, 2, 3].map(() => insertTrialOnce(db, patientId, trial)));
    expect(results.filter(Boolean)).toHaveLength(1);
    // As the export writes it: the stored result with its stored samples.
    const full: unknown = JSON.parse(
      `[${(await pageFullTrialsJson(db, session.id, 0, 10)).join(',')}]`,
    );
    // JSON keeps no negative zero, so compare with what JSON makes of the trial.
    expect(full).toEqual(JSON.parse(JSON.stringify([trial])));
    const withoutSamples = await listTrialResults(db, [session.id]);
    expect(withoutSamples[0]).not.toHaveProperty('samples');
    expect((await findOpenSession(db, patientId))?.id).toBe(session.id);
    await endSession(db, session.id, '2026-01-05T10:20:00.000Z', 'time_up');
    expect(await findOpenSession(db, patientId)).toBeUndefined();
  });

  it('hands out a pairing code exactly once, and not after it expired', async () => {
    const now = new Date().toISOString();
    await insertPairingCode(
      db,
      patientId,
      'hash-a',
      now,
      new Date(Date.now() + 60_000).toISOString(),
    );
    const claims = await Promise.all([1, 2, 3].map(() => consumePairingCode(db, 'hash-a', now)));
    expect(claims.filter((c) => c !== null)).toEqual([patientId]);
    await insertPairingCode(
      db,
      patientId,
      'hash-b',
      now,
      new Date(Date.now() - 1000).toISOString(),
    );
    expect(await consumePairingCode(db, 'hash-b', now)).toBeNull();
  });

  it("lists the newest sessions of each of a therapist's patients in one go", async () => {
    const patientOf = async (owner: string, code: string) =>
      (
        await insertPatient(db, owner, {
          code,
          label: code,
          affectedArm: 'left',
          posture: 'seated',
          notes: '',
        })
      ).id;
    const therapist = (await createTherapist(db, 'hanna', 'hash')).id;
    const stranger = (await createTherapist(db, 'ivo', 'hash')).id;
    const [first, second, theirs] = [
      await patientOf(therapist, 'L-1'),
      await patientOf(therapist, 'L-2'),
      await patientOf(stranger, 'L-3'),
    ];
    const sessionOf = async (patient: string, day: number) => {
      const id = randomUUID();
      await upsertSessionStart(db, {
        id,
        patient_id: patient,
        device_id: 'dev',
        mode: 'home',
        started_at: `2026-01-${String(day).padStart(2, '0')}T10:00:00.000Z`,
        calibration_json: null,
      });
      await insertTrialOnce(db, patient, makeTrial(id, 1, 5));
      return id;
    };
    const firstSessions = [await sessionOf(first, 1), await sessionOf(first, 2)];
    const newest = await sessionOf(first, 3);
    const secondSession = await sessionOf(second, 4);
    await sessionOf(theirs, 5);

    const recent = await listRecentOfTherapist(db, therapist, 2);
    const idsOf = (patient: string) =>
      recent.sessions.filter((s) => s.patient_id === patient).map((s) => s.id);
    expect(recent.sessions).toHaveLength(3);
    expect(idsOf(first)).toEqual([newest, firstSessions[1]]);
    expect(idsOf(second)).toEqual([secondSession]);
    expect(recent.sessions[0]).not.toHaveProperty('recency');
    expect(recent.trials.map((t) => t.sessionId).sort()).toEqual(
      [newest, firstSessions[1], secondSession].sort(),
    );
    const counts = await countSinceByPatient(db, therapist, '2026-01-02T00:00:00.000Z');
    expect(counts).toEqual(
      new Map([
        [first, 2],
        [second, 1],
      ]),
    );
  });

  it("keeps each arm's newest calibration, whatever order saves arrive in, also at once", async () => {
    const patients = kyselyPatientRepository(db);
    const at = (arm: 'left' | 'right', day: number): Workspace => ({
      arm,
      posture: 'standing',
      shoulder: [arm === 'left' ? -0.18 : 0.18, 1.5, 0],
      reach: { forward: 0.4 + day / 100, outward: 0.4, up: 0.3, across: 0.2 },
      measuredAt: `2026-03-0${day}T09:00:00.000Z`,
    });
    // Saves racing each other: the newest of each arm stands, whichever transaction ran last.
    await Promise.all([
      patients.saveNewestCalibration(patientId, { right: at('right', 3) }),
      patients.saveNewestCalibration(patientId, { right: at('right', 5), left: at('left', 1) }),
      patients.saveNewestCalibration(patientId, { right: at('right', 4), left: at('left', 2) }),
    ]);
    const stored = async () =>
      JSON.parse((await findPatientRow(db, patientId))!.calibration_json!) as unknown;
    expect(await stored()).toEqual({ left: at('left', 2), right: at('right', 5) });
    // An older one alone changes nothing, and says what was stored before and after.
    expect(await patients.saveNewestCalibration(patientId, { right: at('right', 1) })).toEqual({
      before: { left: at('left', 2), right: at('right', 5) },
      after: { left: at('left', 2), right: at('right', 5) },
    });
    expect(await patients.saveNewestCalibration(randomUUID(), { right: at('right', 1) })).toBe(
      null,
    );
  });

  it('keeps the audit log in order and erases a patient completely', async () => {
    await appendAudit(db, {
      actorKind: 'therapist',
      actorId: therapistId,
      patientId,
      action: 'a.first',
    });
    await appendAudit(db, {
      actorKind: 'therapist',
      actorId: therapistId,
      patientId,
      action: 'a.second',
      oldValue: { level: 1 },
      newValue: { level: 2 },
    });
    const entries = await listAudit(db, patientId);
    expect(entries.slice(0, 2).map((e) => [e.action, e.oldValue, e.newValue])).toEqual([
      ['a.second', { level: 1 }, { level: 2 }],
      ['a.first', null, null],
    ]);
    await erasePatient(db, patientId);
    expect(await findPatientRow(db, patientId)).toBeUndefined();
    expect(await listAudit(db, patientId)).toEqual([]);
    expect(await listTrialResults(db, [])).toEqual([]);
  });
});
