import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SetRatingRecord, StoredSetRating } from '../../shared/protocol';
import { RATING_CSV_COLUMNS } from '../../shared/clinical';
import { startServer, type RunningServer } from '../support/server';
import {
  api,
  connect,
  makeTrial,
  nextEvent,
  request,
  startSession,
  type TestSocket,
} from './helpers';
import { setUpClinic, type Clinic } from '../support/clinic';

const rating = (sessionId: string, over: Partial<SetRatingRecord> = {}): SetRatingRecord => ({
  sessionId,
  setIndex: 0,
  arm: 'right',
  effort: 4.5,
  pain: 2,
  skipped: false,
  painPauseAt: 5,
  ratedAt: '2026-01-05T10:01:00.000Z',
  ...over,
});

describe('set ratings: effort and pain after each set', () => {
  let server: RunningServer;
  let token: string;
  let patientId: string;
  /** Another therapist with a patient and a headset of their own. */
  let other: Clinic;
  let sessionId: string;
  let device: TestSocket;
  let watcher: TestSocket;

  beforeAll(async () => {
    server = await startServer();
    const clinic = await setUpClinic(server, 'rita');
    ({ therapistToken: token, patientId } = clinic);
    other = await setUpClinic(server, 'olaf');
    device = await connect(server.url, clinic.deviceToken);
    watcher = await connect(server.url, token);
    expect(await request(watcher, 'patient:watch', { patientId })).toMatchObject({ ok: true });
    sessionId = (await startSession(device)).sessionId;
    expect(await request(device, 'trial:submit', makeTrial(sessionId, 1))).toMatchObject({
      ok: true,
    });
  });
  afterAll(async () => {
    device?.close();
    watcher?.close();
    await server?.close();
  });

  it('stores a rating once committed, tells the watching therapist, and keeps the first answer', async () => {
    const live = nextEvent(watcher, 'live:rating');
    expect(await request(device, 'rating:submit', rating(sessionId))).toEqual({
      ok: true,
      data: { sessionId, setIndex: 0, duplicate: false },
    });
    expect(await live).toMatchObject({
      patientId,
      pausesSession: false,
      rating: { sessionId, setIndex: 0, arm: 'right', effort: 4.5, pain: 2, skipped: false },
    });
    // A resend from the outbox (or a second answer for the same set) changes nothing.
    expect(await request(device, 'rating:submit', rating(sessionId, { pain: 9 }))).toEqual({
      ok: true,
      data: { sessionId, setIndex: 0, duplicate: true },
    });
    const detail = await api<{ ratings: StoredSetRating[] }>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}`,
      token,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.ratings).toEqual([
      expect.objectContaining({ setIndex: 0, effort: 4.5, pain: 2, painPauseAt: 5 }),
    ]);
  });

  it('marks a pain at or above the threshold as pausing, and stores a skip as no values', async () => {
    const live = nextEvent(watcher, 'live:rating');
    await request(
      device,
      'rating:submit',
      rating(sessionId, { setIndex: 1, pain: 5, arm: 'left' }),
    );
    expect(await live).toMatchObject({ pausesSession: true, rating: { setIndex: 1, pain: 5 } });
    expect(
      await request(
        device,
        'rating:submit',
        rating(sessionId, { setIndex: 2, effort: null, pain: null, skipped: true }),
      ),
    ).toMatchObject({ ok: true, data: { duplicate: false } });
    const list = await api<{ ratings: StoredSetRating[] }>(
      server.url,
      'GET',
      `/api/patients/${patientId}/ratings`,
      token,
    );
    expect(list.body.ratings.map((r) => [r.setIndex, r.arm, r.effort, r.pain, r.skipped])).toEqual([
      [0, 'right', 4.5, 2, false],
      [1, 'left', 4.5, 5, false],
      [2, 'right', null, null, true],
    ]);
  });

  it.each([
    ['effort off the half steps', { effort: 4.2 }, 'effort must be 0 to 10 in steps of 0.5'],
    ['effort above 10', { effort: 10.5 }, 'effort must be 0 to 10 in steps of 0.5'],
    ['pain with a fraction', { pain: 2.5 }, 'pain must be a whole number from 0 to 10'],
    ['negative pain', { pain: -1 }, 'pain must be a whole number from 0 to 10'],
    ['a skip carrying a value', { skipped: true }, 'skipped must be true exactly when'],
    ['no answer that is not a skip', { effort: null, pain: null }, 'skipped must be true exactly'],
    ['a set index beyond any plan', { setIndex: 400 }, 'setIndex'],
    ['a threshold of 0', { painPauseAt: 0 }, 'painPauseAt'],
  ])('refuses %s with a clear error', async (_name, over, message) => {
    const answer = await request(
      device,
      'rating:submit',
      rating(sessionId, { setIndex: 9, ...over }),
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect((answer as { error: { message: string } }).error.message).toContain(message);
  });

  it('refuses text where a number belongs and extra fields', async () => {
    for (const bad of [
      { ...rating(sessionId), effort: '4' },
      { ...rating(sessionId), note: 'x' },
      { ...rating(sessionId), setIndex: 1.5 },
    ]) {
      expect(await request(device, 'rating:submit', bad)).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload' },
      });
    }
  });

  it('refuses a rating for a session of another patient or one never started', async () => {
    const otherDevice = await connect(server.url, other.deviceToken);
    try {
      expect(await request(otherDevice, 'rating:submit', rating(sessionId))).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(
        await request(device, 'rating:submit', rating('2b1c0b52-4a43-4a4e-9b1e-000000000000')),
      ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    } finally {
      otherDevice.close();
    }
  });

  it('never shows the ratings to another therapist', async () => {
    for (const path of [
      `/api/patients/${patientId}/ratings`,
      `/api/patients/${patientId}/ratings.csv`,
      `/api/sessions/${sessionId}`,
      `/api/sessions/${sessionId}/fhir`,
    ]) {
      expect((await api(server.url, 'GET', path, other.therapistToken)).status).toBe(404);
    }
  });

  it('exports the ratings as CSV and as FHIR Observations of the session', async () => {
    const csv = await api<string>(
      server.url,
      'GET',
      `/api/patients/${patientId}/ratings.csv`,
      token,
    );
    expect(csv.status).toBe(200);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(RATING_CSV_COLUMNS.join(','));
    const cells = lines.slice(1).map((l) => l.split(','));
    const col = (name: string) => RATING_CSV_COLUMNS.indexOf(name);
    expect(
      cells.map((c) => [
        c[col('set_number')],
        c[col('patient_code')],
        c[col('effort_borg_cr10')],
        c[col('pain_nrs')],
        c[col('skipped')],
        c[col('paused_for_pain')],
      ]),
    ).toEqual([
      ['1', 'rita-P1', '4.5', '2', 'no', 'no'],
      ['2', 'rita-P1', '4.5', '5', 'no', 'yes'],
      ['3', 'rita-P1', '', '', 'yes', 'no'],
    ]);

    type Obs = {
      code: { coding: { system: string; code: string }[] };
      valueQuantity?: { value: number };
      dataAbsentReason?: unknown;
      bodySite: { text: string };
    };
    const fhir = await api<{ entry: { resource: Obs }[] }>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}/fhir`,
      token,
    );
    const pain = fhir.body.entry
      .map((e) => e.resource)
      .filter((o) =>
        o.code.coding.some((c) => c.system === 'http://loinc.org' && c.code === '72514-3'),
      );
    expect(pain.map((o) => [o.valueQuantity?.value ?? null, o.bodySite.text])).toEqual([
      [2, 'right arm'],
      [5, 'left arm'],
      [null, 'right arm'],
    ]);
    expect(pain[2]!.dataAbsentReason).toBeDefined();
  });

  it('erases the ratings with the patient', async () => {
    const erased = await api(server.url, 'DELETE', `/api/patients/${patientId}`, token);
    expect(erased.status).toBe(200);
    const db = new Database(join(server.dataDir, 'reach.sqlite'), { readonly: true });
    try {
      expect(db.prepare('select count(*) as n from set_ratings').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
