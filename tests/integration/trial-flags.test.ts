import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALERT_CSV_COLUMNS,
  csvLine,
  isSessionObservation,
  MAP_CSV_COLUMNS,
  REACH_CODE_SYSTEM,
  sectorOf,
  sectorShortName,
  TREND_CSV_COLUMNS,
  TRIAL_CSV_COLUMNS,
  type FhirBundle,
} from '../../shared/clinical';
import type { SessionPersonal, TrialFlags, Workspace } from '../../shared/protocol';
import { patientExportSchema, type SessionDetail } from '../../shared/protocol/http';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import {
  api,
  connect,
  createPatient,
  makeTrial,
  nextEvent,
  pairDeviceToken,
  request,
  therapistWithToken,
  type TestSocket,
} from './helpers';

const WORKSPACE: Workspace = {
  arm: 'right',
  posture: 'seated',
  shoulder: [0.2, 1.2, 0],
  reach: { forward: 0.55, outward: 0.4, up: 0.3, across: 0.2 },
  measuredAt: '2026-01-01T09:00:00.000Z',
};
/** makeTrial's target [0.1, 1.1, -0.4] from the shoulder above: a little across, a little low. */
const SECTOR = sectorOf(WORKSPACE, [0.1, 1.1, -0.4])!;
/** Usual movement times 0.85 to 0.95 s: median 0.9, MAD 0.03; 3 s is far beyond. */
const usual = (i: number) => [0.85, 0.87, 0.9, 0.93, 0.95][i % 5]!;

type LiveTrial = { patientId: string; trial: { id: string }; flags?: TrialFlags };

describe('abnormal trials against the patient’s own baseline, live and in the records', () => {
  let server: InProcessServer;
  let token: string;
  let otherToken: string;
  let patientId: string;
  let device: TestSocket;
  let watcher: TestSocket;
  const sessions: string[] = [];

  const startSession = async (startedAt: string) => {
    const sessionId = randomUUID();
    expect(
      await request(device, 'session:start', { sessionId, mode: 'live', startedAt }),
    ).toMatchObject({ ok: true });
    sessions.push(sessionId);
    return sessionId;
  };
  /** Submits a trial and returns the `live:trial` the watching therapist got for it. */
  const submit = async (sessionId: string, n: number, movementTime: number) => {
    const trial = makeTrial(sessionId, n, 10);
    trial.metrics = { ...trial.metrics, movementTime };
    const event = nextEvent<LiveTrial>(watcher, 'live:trial');
    expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
    const got = await event;
    expect(got.trial.id).toBe(trial.id);
    return { trial, flags: got.flags };
  };

  beforeAll(async () => {
    server = await startInProcessServer();
    token = await therapistWithToken(server, 'fiona');
    otherToken = await therapistWithToken(server, 'oscar');
    patientId = (await createPatient(server.url, token, 'FL-1')).id;
    device = await connect(server.url, await pairDeviceToken(server.url, token, patientId));
    watcher = await connect(server.url, token);
    expect(await request(watcher, 'patient:watch', { patientId })).toMatchObject({ ok: true });
    expect(await request(device, 'calibration:save', { right: WORKSPACE })).toMatchObject({
      ok: true,
    });
  });
  afterAll(async () => {
    device?.close();
    watcher?.close();
    await server?.close();
  });

  it('under 20 comparable trials: "no baseline yet", never a flag, however far off', async () => {
    const sessionId = await startSession('2026-01-05T10:00:00.000Z');
    for (let i = 1; i <= 19; i++) {
      const { flags } = await submit(sessionId, i, usual(i));
      expect(flags).toMatchObject({ state: 'no_baseline', comparable: i - 1, flags: [] });
    }
    const { flags } = await submit(sessionId, 20, 3);
    expect(flags!.state).toBe('no_baseline');
    expect(flags!.flags).toEqual([]);
    expect(flags!.alert).toBeUndefined();
    expect(flags!.text).toBe(
      `no baseline yet: 19 comparable trials (touch, right arm, ${sectorShortName(SECTOR)}), 20 needed`,
    );
    const report = await api<SessionPersonal>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}/personal`,
      token,
    );
    expect(report.status).toBe(200);
    expect(report.body.flags).toEqual([]);
    expect(report.body.fatigue).toBeNull();
  });

  it('after 20 comparable: the abnormal trial is flagged with its explanation, alerted once a minute, stored for the report', async () => {
    const sessionId = await startSession('2026-01-12T10:00:00.000Z');
    const first = await submit(sessionId, 1, 0.9);
    expect(first.flags).toMatchObject({ state: 'checked', comparable: 20, flags: [] });
    expect(first.flags!.text).toBe('within this patient’s usual range');

    const odd = await submit(sessionId, 2, 3);
    expect(odd.flags!.state).toBe('checked');
    expect(odd.flags!.flags).toHaveLength(1);
    const mt = odd.flags!.flags[0]!;
    expect(mt).toMatchObject({ measure: 'movementTime', value: 3, median: 0.9 });
    // Baseline, 21 values: 0.85 x3, 0.87 x4, 0.9 x5 (one of this session), 0.93 x4, 0.95 x4 and
    // session one's 3 s: median 0.9, MAD 0.03, so M = 0.6745 x 2.1 / 0.03; p10 0.85, p90 0.95.
    expect(mt.modifiedZ).toBeCloseTo((0.6745 * 2.1) / 0.03, 6);
    expect(mt.text).toMatch(
      new RegExp(
        `^movement time 3\\.00 s; this patient’s usual for ${sectorShortName(SECTOR)} is 0\\.90 s, range 0\\.85 to 0\\.95 s: slower than almost all of their reaches$`,
      ),
    );
    expect(odd.flags!.alert).toEqual({
      trials: 1,
      text: `A reach unusual for this patient: ${mt.text}.`,
    });

    // A second one within the minute: flagged in the feed, folded out of the alerts.
    const again = await submit(sessionId, 3, 3.2);
    expect(again.flags!.flags).toHaveLength(1);
    expect(again.flags!.alert).toBeUndefined();

    // A resent trial is not checked twice: it gets its stored flags, without an alert.
    const event = nextEvent<LiveTrial>(watcher, 'live:trial');
    expect(await request(device, 'trial:submit', odd.trial)).toMatchObject({
      ok: true,
      data: { duplicate: true },
    });
    const resent = (await event).flags!;
    expect(resent.flags).toEqual(odd.flags!.flags);
    expect(resent.alert).toBeUndefined();

    const report = await api<SessionPersonal>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}/personal`,
      token,
    );
    expect(report.status).toBe(200);
    expect(report.body.flags.map((f) => [f.trialNumber, f.flags[0]!.measure])).toEqual([
      [2, 'movementTime'],
      [3, 'movementTime'],
    ]);
    expect(report.body.flags[0]!.text).toBe(mt.text);
    // Two sessions over a week: the report says why there is no projection, never a number.
    const level = report.body.trends.find((t) => t.measure === 'levelReached')!;
    expect(level).toEqual({
      arm: 'right',
      measure: 'levelReached',
      state: 'not_enough_data',
      text: 'Difficulty level reached: no projection yet: 2 sessions with a value; a projection needs at least 5 over at least 14 days.',
    });
    expect(JSON.stringify(report.body)).not.toMatch(/NaN|null,"text"/);
  });

  it('exports the map and the trends as CSV to the patient’s therapist only', async () => {
    const map = await api<string>(server.url, 'GET', `/api/patients/${patientId}/map.csv`, token);
    expect(map.status).toBe(200);
    const lines = map.body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(MAP_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 24);
    const row = lines.find((l) => l.startsWith(`FL-1,right,${SECTOR},`))!.split(',');
    // 23 trials there: 20 in the first session, 3 in the second.
    expect(row[6]).toBe('23');
    expect(map.body).not.toMatch(/NaN/);

    const trends = await api<string>(
      server.url,
      'GET',
      `/api/patients/${patientId}/trends.csv`,
      token,
    );
    expect(trends.status).toBe(200);
    const trendLines = trends.body.split('\r\n').filter(Boolean);
    expect(trendLines[0]).toBe(TREND_CSV_COLUMNS.join(','));
    expect(trendLines.slice(1).map((l) => l.split(',').slice(2, 6).join(','))).toEqual([
      'levelReached,Difficulty level reached,not_enough_data,2',
      'workspaceReached,Workspace reached,not_enough_data,2',
      'assessmentSuccess,Standard reach test success,not_enough_data,0',
      'assessmentMovementTime,Standard reach test movement time,not_enough_data,0',
      'assessmentSparc,Standard reach test smoothness (SPARC),not_enough_data,0',
    ]);

    for (const path of [
      `/api/patients/${patientId}/map.csv`,
      `/api/patients/${patientId}/trends.csv`,
      `/api/sessions/${sessions[1]}/personal`,
    ]) {
      expect((await api(server.url, 'GET', path, otherToken)).status).toBe(404);
      expect((await api(server.url, 'GET', path, null)).status).toBe(401);
    }
  });

  it('exports the flags with the session’s trials (trials.csv, FHIR) and the alerts as CSV, to the patient’s therapist only', async () => {
    const sessionId = sessions[1]!;
    const report = await api<SessionPersonal>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}/personal`,
      token,
    );
    const [second, third] = report.body.flags;

    const trials = await api<string>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}/trials.csv`,
      token,
    );
    expect(trials.status).toBe(200);
    const trialLines = trials.body.split('\r\n').filter(Boolean);
    expect(trialLines[0]).toBe(TRIAL_CSV_COLUMNS.join(','));
    // The last column: the first trial was usual, the two slow ones flagged.
    expect(trialLines.slice(1).map((l) => l.slice(l.lastIndexOf(',') + 1))).toEqual([
      '',
      'movement_time_high',
      'movement_time_high',
    ]);

    const fhir = await api<FhirBundle>(server.url, 'GET', `/api/sessions/${sessionId}/fhir`, token);
    expect(fhir.status).toBe(200);
    const flagsOfTrial = fhir.body.entry
      .map((e) => e.resource)
      .filter((o) => !isSessionObservation(o))
      .map((o) =>
        o.component.flatMap((c) =>
          c.code.coding[0]!.code === 'baseline-flag' && 'valueCodeableConcept' in c
            ? [c.valueCodeableConcept]
            : [],
        ),
      );
    const slower = (text: string) => [
      {
        coding: [
          {
            system: REACH_CODE_SYSTEM,
            code: 'movement-time-high',
            display: 'Movement time: high',
          },
        ],
        text,
      },
    ];
    expect(flagsOfTrial).toEqual([[], slower(second!.text), slower(third!.text)]);

    // A pain rating at the threshold after the first set, one below it after the second (on the
    // headset's clock, here the same as the server's: after the alert).
    const ratedAt = [new Date().toISOString(), new Date(Date.now() + 60_000).toISOString()];
    for (const [setIndex, pain] of [
      [0, 7],
      [1, 5],
    ] as const)
      expect(
        await request(device, 'rating:submit', {
          sessionId,
          setIndex,
          arm: 'right',
          effort: 5,
          pain,
          skipped: false,
          painPauseAt: 7,
          ratedAt: ratedAt[setIndex]!,
        }),
      ).toMatchObject({ ok: true });
    const detail = await api<SessionDetail>(server.url, 'GET', `/api/sessions/${sessionId}`, token);
    const alert = detail.body.alert!;
    const alerts = await api<string>(
      server.url,
      'GET',
      `/api/patients/${patientId}/alerts.csv`,
      token,
    );
    expect(alerts.status).toBe(200);
    expect(alerts.body.split('\r\n')).toEqual([
      ALERT_CSV_COLUMNS.join(','),
      csvLine([
        '1',
        sessionId,
        '2026-01-12T10:00:00.000Z',
        'FL-1',
        'abnormal_trial',
        alert.raisedAt,
        'right',
        '2',
        '',
        '1',
        '',
        '',
        alert.text,
      ]).slice(0, -2),
      `1,${sessionId},2026-01-12T10:00:00.000Z,FL-1,pain_reported,${ratedAt[0]},right,,1,,7,7,"Pain 7/10 reported after set 1 (right arm), at or above 7: the session paused."`,
      '',
    ]);
    expect(alert.text).toBe(`A reach unusual for this patient: ${second!.text}.`);
    const audit = await api<{ entries: { action: string }[] }>(
      server.url,
      'GET',
      `/api/patients/${patientId}/audit`,
      token,
    );
    expect(audit.body.entries[0]!.action).toBe('export.alerts_csv');

    const path = `/api/patients/${patientId}/alerts.csv`;
    expect(await api(server.url, 'GET', path, otherToken)).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'no such patient' } },
    });
    expect((await api(server.url, 'GET', path, null)).status).toBe(401);
  });

  it('the patient export (everything held) carries the stored flags and every alert as it went out', async () => {
    const exported = await api<z.infer<typeof patientExportSchema>>(
      server.url,
      'GET',
      `/api/patients/${patientId}/export`,
      token,
    );
    expect(exported.status).toBe(200);
    expect(patientExportSchema.safeParse(exported.body).error).toBeUndefined();
    const detail = await api<SessionDetail>(
      server.url,
      'GET',
      `/api/sessions/${sessions[1]}`,
      token,
    );
    expect(exported.body.trialFlags).toEqual(
      detail.body.flags.map((f) => ({ ...f, sessionId: sessions[1] })),
    );
    expect(exported.body.trialFlags).toHaveLength(2);
    expect(exported.body.alerts).toEqual([{ ...detail.body.alert, sessionId: sessions[1] }]);
  });
});
