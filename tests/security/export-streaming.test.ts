import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SAMPLES_PER_TRIAL } from '../../shared/protocol';
import { patientExportSchema } from '../../shared/protocol/http';
import { startServer, type RunningServer } from '../support/server';
import {
  connect,
  makeTrial,
  request,
  rssMiB,
  setUpClinic,
  shutdown,
  sleep,
  type Clinic,
  type TestSocket,
} from './harness';

/** The attack review's patient: 334 trials of 3600 samples, about 100 MB of JSON. */
const LARGE_TRIALS = 334;
/**
 * What /healthz may take while the export runs: it took 6 s before streaming; measured 175 to
 * 570 ms on a busy 2-core machine since.
 */
const HEALTHZ_BOUND_MS = 1000;
/** Memory the export may add to the server (one string took it from 179 to 817 MB). */
const RSS_GROWTH_BOUND_MIB = 200;

describe('a large patient export', () => {
  let server: RunningServer;
  let clinic: Clinic;
  let device: TestSocket;
  const sessions: { id: string; trials: number }[] = [];

  beforeAll(async () => {
    server = await startServer();
    clinic = await setUpClinic(server, 'exporter');
    device = await connect(server.url, clinic.deviceToken);
    // Three sessions: a large one, a small one and an empty one (the writer's separators).
    for (const trials of [LARGE_TRIALS, 2, 0]) {
      const sessionId = randomUUID();
      const start = await request(device, 'session:start', {
        sessionId,
        mode: 'home',
        startedAt: new Date(Date.now() - 60_000 * (sessions.length + 1)).toISOString(),
      });
      expect(start).toMatchObject({ ok: true });
      sessions.push({ id: sessionId, trials });
    }
    const samples = MAX_SAMPLES_PER_TRIAL;
    const first = makeTrial(sessions[0]!.id, 1, samples);
    // Positions at full double precision, as a headset records them.
    const wobble = (i: number, k: number) => 0.3 * Math.sin(i / 7 + k) + 1e-9 * Math.cos(i * k);
    first.samples.hand = first.samples.hand.map((_, i) => [
      wobble(i, 1),
      wobble(i, 2),
      wobble(i, 3),
    ]);
    first.samples.head = first.samples.hand.map((_, i) => [
      wobble(i, 7),
      wobble(i, 8),
      wobble(i, 9),
    ]);
    expect(await request(device, 'trial:submit', first)).toMatchObject({ ok: true });
    for (let n = 1; n <= 2; n++) {
      const trial = makeTrial(sessions[1]!.id, n, 90);
      expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
    }
    // The rest of the large session: copies of its first trial, written straight to the database.
    const database = new BetterSqlite3(join(server.dataDir, 'reach.sqlite'));
    database.pragma('busy_timeout = 5000');
    database
      .prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?2)
         insert into trials (id, session_id, patient_id, trial_number, arm, outcome, started_at,
                             level_after, result_json, samples_json, stored_at)
         select substr(t.id, 1, 24) || printf('%012x', n.i), t.session_id, t.patient_id,
                t.trial_number + n.i, t.arm, t.outcome, t.started_at, t.level_after,
                replace(t.result_json, t.id, substr(t.id, 1, 24) || printf('%012x', n.i)),
                t.samples_json, t.stored_at
         from trials t, n where t.id = ?1`,
      )
      .run({ 1: first.id, 2: LARGE_TRIALS - 1 });
    database.close();
  }, 120_000);

  afterAll(async () => {
    device?.close();
    await shutdown(server);
  });

  it('streams complete JSON with bounded memory while /healthz stays fast', async () => {
    const rssBefore = await rssMiB(server.process.pid!);
    let rssPeak = rssBefore;
    const healthz: number[] = [];
    let exporting = true;
    const probe = (async () => {
      while (exporting) {
        const t0 = performance.now();
        const answer = await fetch(`${server.url}/healthz`);
        expect(answer.status).toBe(200);
        healthz.push(performance.now() - t0);
        rssPeak = Math.max(rssPeak, await rssMiB(server.process.pid!));
        await sleep(50);
      }
    })();

    const response = await fetch(`${server.url}/api/patients/${clinic.patientId}/export`, {
      headers: { authorization: `Bearer ${clinic.therapistToken}` },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    exporting = false;
    await probe;

    console.log(
      `export ${(text.length / 1e6).toFixed(0)} MB; /healthz max ${Math.max(...healthz).toFixed(0)} ms` +
        ` over ${healthz.length} probes; server RSS ${rssBefore.toFixed(0)} -> ${rssPeak.toFixed(0)} MiB`,
    );
    expect(text.length).toBeGreaterThan(50e6);
    expect(healthz.length).toBeGreaterThan(3);
    expect(Math.max(...healthz)).toBeLessThan(HEALTHZ_BOUND_MS);
    expect(rssPeak - rssBefore).toBeLessThan(RSS_GROWTH_BOUND_MIB);

    // Complete and valid: it parses, and every session holds every trial, samples included.
    const exported = JSON.parse(text) as {
      sessions: { id: string; trials: { id: string; samples: { t: number[] } }[] }[];
      audit: { action: string }[];
    };
    expect(exported.sessions.map((s) => [s.id, s.trials.length])).toEqual(
      sessions.map((s) => [s.id, s.trials]),
    );
    const large = exported.sessions[0]!.trials;
    expect(new Set(large.map((t) => t.id)).size).toBe(LARGE_TRIALS);
    expect(large.every((t) => t.samples.t.length === MAX_SAMPLES_PER_TRIAL)).toBe(true);
    expect(exported.audit.map((a) => a.action)).toContain('export.patient');
    // The document matches the protocol's export schema (samples trimmed to keep the check quick).
    for (const session of exported.sessions)
      for (const trial of session.trials) trial.samples.t = trial.samples.t.slice(0, 0);
    const trimmed = JSON.parse(
      JSON.stringify(exported, (key, value: unknown) =>
        key === 'hand' || key === 'head' || key === 'otherHand' ? [] : value,
      ),
    ) as unknown;
    expect(patientExportSchema.safeParse(trimmed).error).toBeUndefined();
  });
});
