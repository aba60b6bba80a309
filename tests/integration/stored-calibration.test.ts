import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Calibration, Workspace } from '../../shared/protocol';
import type { auditEntrySchema } from '../../shared/protocol/http';
import type { PatientRecord, SessionRecord } from '../../shared/protocol/http';
import { getOk, pairDevice } from '../support/clinic';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import {
  api,
  connect,
  makeTrial,
  request,
  setUpClinic,
  startSession,
  type TestSocket,
} from './helpers';

const right: Workspace = {
  arm: 'right',
  posture: 'seated',
  shoulder: [0.18, 1.4, 0],
  reach: { forward: 0.55, outward: 0.5, up: 0.4, across: 0.3 },
  measuredAt: '2026-01-01T00:00:00.000Z',
};

/** What a torn write or a hand edit leaves: not JSON. */
const CORRUPT = '{"right": {"arm": "ri';

/**
 * A stored calibration that is not JSON (patient's and session's) never fails a request with an
 * internal error: it reads as no calibration where that is safe, the personal reports (derived
 * from it alone) answer a clear error, and the headset's next calibration replaces it.
 */
describe('a corrupt stored calibration', () => {
  let server: InProcessServer;
  let token: string;
  let patientId: string;
  let sessionId: string;
  let device: TestSocket;

  beforeAll(async () => {
    server = await startInProcessServer();
    const clinic = await setUpClinic(server, 'corrupt-calibration');
    ({ therapistToken: token, patientId } = clinic);
    device = await connect(server.url, clinic.deviceToken);
    expect(await request(device, 'calibration:save', { right })).toMatchObject({ ok: true });
    ({ sessionId } = await startSession(device));
    expect(await request(device, 'trial:submit', makeTrial(sessionId, 1))).toMatchObject({
      ok: true,
    });
    await server.db
      .updateTable('patients')
      .set({ calibration_json: CORRUPT })
      .where('id', '=', patientId)
      .execute();
    await server.db
      .updateTable('sessions')
      .set({ calibration_json: CORRUPT })
      .where('id', '=', sessionId)
      .execute();
  });
  afterAll(async () => {
    device?.close();
    await server?.close();
  });

  const get = <T>(path: string, as = token) => api<T>(server.url, 'GET', path, as);

  it('reads as no calibration in the patient record (which says it is corrupt), the records and the session lists', async () => {
    const patient = await get<PatientRecord>(`/api/patients/${patientId}`);
    expect(patient.status).toBe(200);
    expect(patient.body.calibration).toEqual({});
    // So the dashboard can tell the therapist, rather than show an empty calibration.
    expect(patient.body.calibrationCorrupt).toBe(true);

    const patients = await get<{ patients: PatientRecord[] }>('/api/patients');
    expect(patients.status).toBe(200);
    expect(patients.body.patients.map((p) => [p.id, p.calibrationCorrupt])).toEqual([
      [patientId, true],
    ]);

    const session = await get<{ session: SessionRecord }>(`/api/sessions/${sessionId}`);
    expect(session.status).toBe(200);
    expect(session.body.session.summary.trials).toBe(1);
    expect(session.body.session.summary.reachWorkspace).toBeNull();

    const sessions = await get<{ sessions: SessionRecord[] }>(
      `/api/patients/${patientId}/sessions`,
    );
    expect(sessions.status).toBe(200);
    expect(sessions.body.sessions.map((s) => s.id)).toEqual([sessionId]);
  });

  it('answers the personal report and its CSV exports with a clear error', async () => {
    for (const path of [
      `/api/sessions/${sessionId}/personal`,
      `/api/patients/${patientId}/trends.csv`,
      `/api/patients/${patientId}/map.csv`,
    ]) {
      const answer = await get<{ error: { code: string; message: string } }>(path);
      expect({ path, status: answer.status, body: answer.body }).toEqual({
        path,
        status: 409,
        body: {
          error: {
            code: 'conflict',
            message:
              "the patient's stored calibration is unreadable (corrupt); calibrate again on the headset to replace it",
          },
        },
      });
    }
  });

  it('keeps storing trials, and is replaced by the next calibration the headset saves', async () => {
    const next = await startSession(device);
    expect(await request(device, 'trial:submit', makeTrial(next.sessionId, 1))).toMatchObject({
      ok: true,
    });
    const left: Workspace = { ...right, arm: 'left', shoulder: [-0.18, 1.4, 0] };
    expect(await request(device, 'calibration:save', { left })).toMatchObject({ ok: true });

    const patient = await get<PatientRecord>(`/api/patients/${patientId}`);
    expect(patient.body.calibration).toEqual({ left } satisfies Calibration);
    expect(patient.body.calibrationCorrupt).toBe(false);
    expect((await get(`/api/sessions/${sessionId}/personal`)).status).toBe(200);
  });
});

type AuditEntryRecord = z.infer<typeof auditEntrySchema>;

const MONDAY = '2026-03-02T09:00:00.000Z';
const TUESDAY = '2026-03-03T09:00:00.000Z';
const WEDNESDAY = '2026-03-04T09:00:00.000Z';

const measured = (arm: 'left' | 'right', forward: number, measuredAt: string): Workspace => ({
  arm,
  posture: 'seated',
  shoulder: [arm === 'left' ? -0.18 : 0.18, 1.4, 0],
  reach: { forward, outward: 0.5, up: 0.4, across: 0.3 },
  measuredAt,
});

/**
 * Two headsets of one patient, or one outbox re-sending after a reload: a calibration that
 * arrives after a newer one of the same arm never replaces it (each arm's newest wins, as on the
 * headset), and the headset hears a success so its outbox moves on.
 */
describe('a calibration older than the stored one', () => {
  let server: InProcessServer;
  let token: string;
  let patientId: string;
  let first: TestSocket;
  let second: TestSocket;
  let firstId: string;
  let secondId: string;

  beforeAll(async () => {
    server = await startInProcessServer();
    const clinic = await setUpClinic(server, 'older-calibration');
    ({ therapistToken: token, patientId, deviceId: firstId } = clinic);
    first = await connect(server.url, clinic.deviceToken);
    const paired = await pairDevice(server.url, token, patientId);
    secondId = paired.deviceId;
    second = await connect(server.url, paired.deviceToken);
  });
  afterAll(async () => {
    first?.close();
    second?.close();
    await server?.close();
  });

  const storedCalibration = async () =>
    (await getOk<PatientRecord>(server.url, token, `/api/patients/${patientId}`)).calibration;
  const calibrationAudit = async () =>
    (
      await getOk<{ entries: AuditEntryRecord[] }>(
        server.url,
        token,
        `/api/patients/${patientId}/audit`,
      )
    ).entries
      .filter((e) => e.action.startsWith('calibration.'))
      .map(({ action, actorId, oldValue, newValue }) => ({ action, actorId, oldValue, newValue }))
      .reverse();

  it('keeps the newer of each arm, answers the older with a success naming it, and audits it', async () => {
    const tuesdayRight = measured('right', 0.6, TUESDAY);
    const mondayRight = measured('right', 0.5, MONDAY);
    expect(await request(first, 'calibration:save', { right: tuesdayRight })).toMatchObject({
      ok: true,
      data: { olderThanStored: [] },
    });
    // The second headset measured on Monday and delivers it only now.
    expect(await request(second, 'calibration:save', { right: mondayRight })).toMatchObject({
      ok: true,
      data: { olderThanStored: ['right'] },
    });
    expect(await storedCalibration()).toEqual({ right: tuesdayRight });

    // Per arm: an older left beside a newer right takes the right only; the stored left stays.
    const wednesdayLeft = measured('left', 0.45, WEDNESDAY);
    expect(await request(first, 'calibration:save', { left: wednesdayLeft })).toMatchObject({
      ok: true,
    });
    const mondayLeft = measured('left', 0.4, MONDAY);
    const wednesdayRight = measured('right', 0.65, WEDNESDAY);
    expect(
      await request(second, 'calibration:save', { left: mondayLeft, right: wednesdayRight }),
    ).toMatchObject({ ok: true, data: { olderThanStored: ['left'] } });
    expect(await storedCalibration()).toEqual({ left: wednesdayLeft, right: wednesdayRight });

    expect(await calibrationAudit()).toEqual([
      {
        action: 'calibration.save',
        actorId: firstId,
        oldValue: {},
        newValue: { right: tuesdayRight },
      },
      {
        action: 'calibration.superseded',
        actorId: secondId,
        oldValue: { right: tuesdayRight },
        newValue: { right: mondayRight },
      },
      {
        action: 'calibration.save',
        actorId: firstId,
        oldValue: { right: tuesdayRight },
        newValue: { left: wednesdayLeft, right: tuesdayRight },
      },
      {
        action: 'calibration.save',
        actorId: secondId,
        oldValue: { left: wednesdayLeft, right: tuesdayRight },
        newValue: { left: wednesdayLeft, right: wednesdayRight },
      },
      {
        action: 'calibration.superseded',
        actorId: secondId,
        oldValue: { left: wednesdayLeft },
        newValue: { left: mondayLeft },
      },
    ]);
  });

  it('is what the session its headset plays was placed in, all the same', async () => {
    const { sessionId } = await startSession(second);
    const mondayRight = measured('right', 0.5, MONDAY);
    expect(await request(second, 'calibration:save', { right: mondayRight })).toMatchObject({
      ok: true,
      data: { olderThanStored: ['right'] },
    });
    const session = await server.db
      .selectFrom('sessions')
      .select('calibration_json')
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    const patient = await storedCalibration();
    expect(JSON.parse(session.calibration_json!)).toEqual({
      left: patient.left,
      right: mondayRight,
    });
    expect(patient.right).toEqual(measured('right', 0.65, WEDNESDAY));
  });
});
