import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TRIALS_PER_SESSION } from '../../shared/protocol';
import { startServer, type RunningServer } from '../support/server';
import {
  api,
  connect,
  makeTrial,
  request,
  setUpClinic,
  shutdown,
  type Clinic,
  type TestSocket,
} from './harness';

/** Small hourly budgets so the test reaches them; the defaults are in server/config.ts. */
const TRIALS_PER_HOUR = 5;
const SAMPLES_PER_HOUR = 1000;

describe('one device cannot fill the disk', () => {
  let server: RunningServer;
  const sockets: TestSocket[] = [];
  let database: BetterSqlite3.Database;

  const open = async (clinic: Clinic) => {
    const socket = await connect(server.url, clinic.deviceToken);
    sockets.push(socket);
    return socket;
  };
  const startSession = async (device: TestSocket) => {
    const sessionId = randomUUID();
    const answer = await request(device, 'session:start', {
      sessionId,
      mode: 'home',
      startedAt: new Date().toISOString(),
    });
    expect(answer).toMatchObject({ ok: true });
    return sessionId;
  };
  const storedTrials = (sessionId: string) =>
    (
      database.prepare('select count(*) as n from trials where session_id = ?').get(sessionId) as {
        n: number;
      }
    ).n;

  beforeAll(async () => {
    server = await startServer({
      env: {
        DEVICE_TRIALS_PER_HOUR: String(TRIALS_PER_HOUR),
        DEVICE_SAMPLES_PER_HOUR: String(SAMPLES_PER_HOUR),
      },
    });
    // A second connection to the server's own database, to build large histories quickly.
    database = new BetterSqlite3(join(server.dataDir, 'reach.sqlite'));
    database.pragma('busy_timeout = 5000');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    database?.close();
    await shutdown(server);
  });

  it('caps the trials a headset stores per hour; another headset is not affected', async () => {
    const flooder = await setUpClinic(server, 'hourly-flooder');
    const bystander = await setUpClinic(server, 'hourly-calm');
    const device = await open(flooder);
    const sessionId = await startSession(device);
    for (let n = 1; n <= TRIALS_PER_HOUR; n++) {
      expect(await request(device, 'trial:submit', makeTrial(sessionId, n, 10))).toMatchObject({
        ok: true,
      });
    }
    const refused = await request(device, 'trial:submit', makeTrial(sessionId, 6, 10));
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(storedTrials(sessionId)).toBe(TRIALS_PER_HOUR);
    // A new socket of the same headset draws on the same budget.
    sockets.pop()?.close();
    const again = await open(flooder);
    expect(await request(again, 'trial:submit', makeTrial(sessionId, 6, 10))).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });

    const calm = await open(bystander);
    const calmSession = await startSession(calm);
    expect(await request(calm, 'trial:submit', makeTrial(calmSession, 1, 10))).toMatchObject({
      ok: true,
    });
  });

  it('caps the movement samples a headset stores per hour', async () => {
    const clinic = await setUpClinic(server, 'sample-flooder');
    const device = await open(clinic);
    const sessionId = await startSession(device);
    const large = 600;
    expect(await request(device, 'trial:submit', makeTrial(sessionId, 1, large))).toMatchObject({
      ok: true,
    });
    // 600 + 600 > 1000: the second large trial does not fit this hour.
    expect(await request(device, 'trial:submit', makeTrial(sessionId, 2, large))).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
    expect(storedTrials(sessionId)).toBe(1);
  });

  it(`refuses a trial beyond ${MAX_TRIALS_PER_SESSION} in one session with quota_exceeded`, async () => {
    const clinic = await setUpClinic(server, 'session-filler');
    const device = await open(clinic);
    const sessionId = await startSession(device);
    const first = makeTrial(sessionId, 1, 10);
    expect(await request(device, 'trial:submit', first)).toMatchObject({ ok: true });
    // The session already holds the most trials it may (copies of the first).
    database
      .prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
         insert into trials (id, session_id, patient_id, trial_number, arm, outcome, started_at,
                             level_after, result_json, samples_json, stored_at)
         select t.id || '-' || n.i, t.session_id, t.patient_id, t.trial_number + n.i, t.arm,
                t.outcome, t.started_at, t.level_after, t.result_json, t.samples_json, t.stored_at
         from trials t, n where t.id = ?`,
      )
      .run(MAX_TRIALS_PER_SESSION - 1, first.id);
    expect(storedTrials(sessionId)).toBe(MAX_TRIALS_PER_SESSION);

    const beyond = await request(
      device,
      'trial:submit',
      makeTrial(sessionId, MAX_TRIALS_PER_SESSION + 1, 10),
    );
    expect(beyond).toMatchObject({ ok: false, error: { code: 'quota_exceeded' } });
    expect(storedTrials(sessionId)).toBe(MAX_TRIALS_PER_SESSION);
    // A resent trial that is already stored is still acknowledged as a duplicate.
    expect(await request(device, 'trial:submit', first)).toMatchObject({
      ok: true,
      data: { duplicate: true },
    });
  });

  it('lists and exports a patient with more sessions than one query can name', async () => {
    const clinic = await setUpClinic(server, 'long-history');
    const sessions = 33_000;
    database
      .prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
         insert into sessions (id, patient_id, device_id, mode, started_at, ended_at, end_reason)
         select 'seeded-' || n.i, ?, ?, 'home', '2026-01-01T00:00:00.000Z',
                '2026-01-01T00:10:00.000Z', 'plan_complete'
         from n`,
      )
      .run(sessions, clinic.patientId, clinic.deviceId);
    const listed = await api<{ sessions: unknown[] }>(
      server.url,
      'GET',
      `/api/patients/${clinic.patientId}/sessions`,
      clinic.therapistToken,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.sessions).toHaveLength(sessions);
    const csv = await api<string>(
      server.url,
      'GET',
      `/api/patients/${clinic.patientId}/sessions.csv`,
      clinic.therapistToken,
    );
    expect(csv.status).toBe(200);
    // A header line plus one line per session.
    expect(csv.body.trimEnd().split('\n')).toHaveLength(sessions + 1);
  });
});
