import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPerformanceMap,
  mapFromSnapshot,
  performanceMap,
  personalTrial,
  sectorOf,
} from '../../shared/clinical';
import type { Trial, Vec3, Workspace } from '../../shared/protocol';
import type { PerformanceMaps } from '../../shared/protocol/http';
import { kyselyPerformanceMapRepository } from '../../server/sessions/performance-map-repository';
import { migrateToLatest } from '../../server/storage/database';
import { storageBackends } from './databases';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
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

const right: Workspace = {
  arm: 'right',
  posture: 'seated',
  shoulder: [0.18, 1.4, 0],
  reach: { forward: 0.55, outward: 0.5, up: 0.4, across: 0.3 },
  measuredAt: '2026-01-01T00:00:00.000Z',
};

/** Straight ahead at shoulder height, up ahead, and low out to the side. */
const TARGETS: Vec3[] = [
  [0.18, 1.4, -0.4],
  [0.18, 1.7, -0.3],
  [0.4, 1.2, -0.3],
];

/** The shoulder 0.3 m lower: the first target, at the old shoulder's height, is now above it. */
const LOWERED: Workspace = { ...right, shoulder: [0.18, 1.1, 0] };

/** The right arm's map the server gives the therapist, as sector statistics. */
async function servedRightMap(url: string, token: string, patientId: string) {
  const answer = await api<PerformanceMaps>(
    url,
    'GET',
    `/api/patients/${patientId}/performance-map`,
    token,
  );
  expect(answer.status).toBe(200);
  return performanceMap(mapFromSnapshot(answer.body.right));
}

/** The right arm's map of these trials, each placed in its own calibration. */
const rightMapOf = (placed: [Trial, Workspace][]) =>
  performanceMap(
    buildPerformanceMap(
      placed.map(([trial, workspace]) => personalTrial(trial, workspace)),
      'right',
    ),
  );

describe('the performance map on the server', () => {
  let server: InProcessServer;
  let token: string;
  let deviceToken: string;
  let patientId: string;
  let device: TestSocket;
  let therapist: TestSocket;
  const stored: Trial[] = [];

  beforeAll(async () => {
    server = await startInProcessServer();
    token = await therapistWithToken(server, 'maya');
    patientId = (await createPatient(server.url, token, 'M-1')).id;
    deviceToken = await pairDeviceToken(server.url, token, patientId);
    device = await connect(server.url, deviceToken);
    therapist = await connect(server.url, token);
    expect(await request(device, 'calibration:save', { right })).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    device?.close();
    therapist?.close();
    await server?.close();
  });

  const maps = async () => {
    const answer = await api<PerformanceMaps>(
      server.url,
      'GET',
      `/api/patients/${patientId}/performance-map`,
      token,
    );
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const expected = () =>
    performanceMap(
      buildPerformanceMap(
        stored.map((t) => personalTrial(t, right)),
        'right',
      ),
    );
  const submit = async (trial: Trial) => {
    expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
  };

  it('is updated per stored trial, holds each once, and is returned with the plan', async () => {
    for (const [s, count] of [
      [0, 4],
      [1, 5],
    ] as const) {
      const { sessionId } = await startSession(device);
      for (let n = 1; n <= count; n++) {
        const trial = {
          ...makeTrial(sessionId, n),
          target: TARGETS[(n + s) % TARGETS.length]!,
        };
        await submit(trial);
        stored.push(trial);
        const { right: map } = await maps();
        expect(map.sessions.at(-1)).toBe(sessionId);
        expect(performanceMap(mapFromSnapshot(map))).toEqual(expected());
      }
    }
    // A resent trial (the outbox retrying) counts once.
    await submit(stored.at(-1)!);
    const row = await server.db
      .selectFrom('performance_maps')
      .select(['arm', 'trials_counted'])
      .where('patient_id', '=', patientId)
      .execute();
    expect(row.find((r) => r.arm === 'right')).toEqual({ arm: 'right', trials_counted: 9 });
    const sectors = performanceMap(mapFromSnapshot((await maps()).right));
    expect(sectors.reduce((n, s) => n + s.trials, 0)).toBe(9);
    for (const target of TARGETS)
      expect(sectors[sectorOf(right, target)!]!.trials).toBeGreaterThanOrEqual(3);

    const me = await api<{ performanceMaps: PerformanceMaps }>(
      server.url,
      'GET',
      '/api/device/me',
      deviceToken,
    );
    expect(me.status).toBe(200);
    expect(performanceMap(mapFromSnapshot(me.body.performanceMaps.right))).toEqual(expected());
    expect(performanceMap(mapFromSnapshot(me.body.performanceMaps.left))[0]!.trials).toBe(0);
  });

  it('is rebuilt from the stored trials when the stored map is lost or out of step', async () => {
    await server.db.deleteFrom('performance_maps').where('patient_id', '=', patientId).execute();
    expect(performanceMap(mapFromSnapshot((await maps()).right))).toEqual(expected());
    await server.db
      .updateTable('performance_maps')
      .set({ trials_counted: 2 })
      .where('patient_id', '=', patientId)
      .execute();
    const { sessionId } = await startSession(device);
    const trial = { ...makeTrial(sessionId, 1), target: TARGETS[1]! };
    await submit(trial);
    stored.push(trial);
    expect(performanceMap(mapFromSnapshot((await maps()).right))).toEqual(expected());
  });

  it('costs a stored trial a fixed few queries: no count of the arm, no session or patient read', async () => {
    const { sessionId } = await startSession(device);
    const queriesOf = async (n: number) => {
      const trial = { ...makeTrial(sessionId, n), target: TARGETS[n % TARGETS.length]! };
      server.queries.length = 0;
      await submit(trial);
      stored.push(trial);
      return [...server.queries];
    };
    await queriesOf(1); // the session's first trial reads its context and the monitor's history
    for (const n of [2, 3]) {
      const reads = (await queriesOf(n)).filter((q) => q.startsWith('select'));
      // The session's quota check and the stored map: nothing that grows with the history.
      expect(reads).toEqual([
        'select count(*) as "n" from "trials" where "session_id" = ?',
        'select "snapshot_json", "trials_counted" from "performance_maps" where "patient_id" = ? and "arm" = ?',
      ]);
    }
    expect(performanceMap(mapFromSnapshot((await maps()).right))).toEqual(expected());
  });

  it('relays a placement command to the headset and refuses bad ones with an error', async () => {
    const { sessionId } = await startSession(device);
    const applied: unknown[] = [];
    device.on('control:apply', (payload, ack) => {
      applied.push(payload);
      ack({ applied: true });
    });
    const command = { type: 'setPlacement', placement: { mode: 'sector', sectors: [12, 20] } };
    const good = await request(therapist, 'control:send', {
      sessionId,
      commandId: randomUUID(),
      command,
    });
    expect(good).toMatchObject({ ok: true, data: { applied: true } });
    expect(applied).toMatchObject([{ sessionId, command }]);
    // A sector number beyond the 24 is outside the limits, like a level beyond 100; the rest is
    // a malformed command.
    for (const [placement, code] of [
      [{ mode: 'sector', sectors: [99] }, 'out_of_bounds'],
      [{ mode: 'sector', sectors: ['up'] }, 'invalid_payload'],
      [{ mode: 'wherever' }, 'invalid_payload'],
      [{ mode: 'focus', sectors: [1], weights: [2] }, 'invalid_payload'],
      ['focus', 'invalid_payload'],
    ] as const) {
      const answer = await request(therapist, 'control:send', {
        sessionId,
        commandId: randomUUID(),
        command: { type: 'setPlacement', placement },
      });
      expect(answer).toMatchObject({ ok: false, error: { code, event: 'control:send' } });
    }
    expect(applied).toHaveLength(1);
    device.off('control:apply');
  });

  it('places the trials after a calibration saved mid-session in the new calibration', async () => {
    const id = (await createPatient(server.url, token, 'M-2')).id;
    const headset = await connect(server.url, await pairDeviceToken(server.url, token, id));
    try {
      expect(sectorOf(LOWERED, TARGETS[0]!)).not.toBe(sectorOf(right, TARGETS[0]!));
      expect(await request(headset, 'calibration:save', { right })).toMatchObject({ ok: true });
      const { sessionId } = await startSession(headset);
      const first = { ...makeTrial(sessionId, 1), target: TARGETS[0]! };
      expect(await request(headset, 'trial:submit', first)).toMatchObject({ ok: true });
      expect(await request(headset, 'calibration:save', { right: LOWERED })).toMatchObject({
        ok: true,
      });
      const second = { ...makeTrial(sessionId, 2), target: TARGETS[0]! };
      expect(await request(headset, 'trial:submit', second)).toMatchObject({ ok: true });
      expect(await servedRightMap(server.url, token, id)).toEqual(
        rightMapOf([
          [first, right],
          [second, LOWERED],
        ]),
      );
    } finally {
      headset.close();
    }
  });

  it('stores each of a burst of trials once: the first rebuilds the map, the rest are not added again', async () => {
    const id = (await createPatient(server.url, token, 'M-3')).id;
    const headset = await connect(server.url, await pairDeviceToken(server.url, token, id));
    try {
      expect(await request(headset, 'calibration:save', { right })).toMatchObject({ ok: true });
      const { sessionId } = await startSession(headset);
      // An outbox delivering a session at once: the map does not exist yet when they arrive.
      const burst = Array.from({ length: 8 }, (_, i) => ({
        ...makeTrial(sessionId, i + 1),
        target: TARGETS[i % TARGETS.length]!,
      }));
      const answers = await Promise.all(burst.map((t) => request(headset, 'trial:submit', t)));
      for (const answer of answers) expect(answer).toMatchObject({ ok: true });
      // The stored row itself, not a read (a read would repair it).
      const row = await server.db
        .selectFrom('performance_maps')
        .select(['snapshot_json', 'trials_counted'])
        .where('patient_id', '=', id)
        .where('arm', '=', 'right')
        .executeTakeFirstOrThrow();
      expect(Number(row.trials_counted)).toBe(burst.length);
      expect(performanceMap(mapFromSnapshot(JSON.parse(row.snapshot_json)))).toEqual(
        performanceMap(
          buildPerformanceMap(
            burst.map((t) => personalTrial(t, right)),
            'right',
          ),
        ),
      );
    } finally {
      headset.close();
    }
  });

  it("another therapist cannot read the patient's map", async () => {
    const other = await therapistWithToken(server, 'nina');
    const answer = await api(
      server.url,
      'GET',
      `/api/patients/${patientId}/performance-map`,
      other,
    );
    expect(answer.status).toBe(404);
  });
});

describe.each(storageBackends('performance map storage'))(
  'the performance map table on $name',
  (backend) => {
    it('two servers on one database storing trials of one patient at once: both serve each trial once', async () => {
      const { db, cleanup } = await backend.open();
      const servers: InProcessServer[] = [];
      const sockets: TestSocket[] = [];
      try {
        // Started one after the other: each migrates at start.
        servers.push(await startInProcessServer({ db }));
        servers.push(await startInProcessServer({ db }));
        const one = servers[0]!;
        const token = await therapistWithToken(one, 'ines');
        const id = (await createPatient(one.url, token, 'MP-1')).id;
        const deviceToken = await pairDeviceToken(one.url, token, id);
        for (const s of servers) sockets.push(await connect(s.url, deviceToken));
        const [here, there] = sockets as [TestSocket, TestSocket];
        expect(await request(here, 'calibration:save', { right })).toMatchObject({ ok: true });
        const { sessionId } = await startSession(here);
        await startSession(there, sessionId);
        const trials = Array.from({ length: 12 }, (_, i) => ({
          ...makeTrial(sessionId, i + 1),
          target: TARGETS[i % TARGETS.length]!,
        }));
        const answers = await Promise.all(
          trials.map((t, i) => request(i % 2 === 0 ? here : there, 'trial:submit', t)),
        );
        for (const answer of answers) expect(answer).toMatchObject({ ok: true });
        const want = performanceMap(
          buildPerformanceMap(
            trials.map((t) => personalTrial(t, right)),
            'right',
          ),
        );
        for (const s of servers) {
          const answer = await api<PerformanceMaps>(
            s.url,
            'GET',
            `/api/patients/${id}/performance-map`,
            token,
          );
          expect(performanceMap(mapFromSnapshot(answer.body.right))).toEqual(want);
        }
        const row = await db
          .selectFrom('performance_maps')
          .select('trials_counted')
          .where('patient_id', '=', id)
          .where('arm', '=', 'right')
          .executeTakeFirstOrThrow();
        expect(Number(row.trials_counted)).toBe(12);
      } finally {
        for (const socket of sockets) socket.close();
        for (const s of servers) await s.close();
        await cleanup();
      }
    });

    it('a session resumed on a server that kept its context: a calibration saved through the other one is used', async () => {
      const { db, cleanup } = await backend.open();
      const servers: InProcessServer[] = [];
      const sockets: TestSocket[] = [];
      try {
        servers.push(await startInProcessServer({ db }));
        servers.push(await startInProcessServer({ db }));
        const [one, two] = servers as [InProcessServer, InProcessServer];
        const token = await therapistWithToken(one, 'iris');
        const id = (await createPatient(one.url, token, 'MP-2')).id;
        const deviceToken = await pairDeviceToken(one.url, token, id);
        // On the first server: a trial, so it keeps the session's context.
        const here = await connect(one.url, deviceToken);
        sockets.push(here);
        expect(await request(here, 'calibration:save', { right })).toMatchObject({ ok: true });
        const { sessionId } = await startSession(here);
        const first = { ...makeTrial(sessionId, 1), target: TARGETS[0]! };
        expect(await request(here, 'trial:submit', first)).toMatchObject({ ok: true });
        here.close();
        // The headset comes back through the second server and measures the arm again there.
        const there = await connect(two.url, deviceToken);
        sockets.push(there);
        await startSession(there, sessionId);
        expect(await request(there, 'calibration:save', { right: LOWERED })).toMatchObject({
          ok: true,
        });
        there.close();
        // Then through the first again: its next trial is placed in the new calibration.
        const back = await connect(one.url, deviceToken);
        sockets.push(back);
        await startSession(back, sessionId);
        const second = { ...makeTrial(sessionId, 2), target: TARGETS[0]! };
        expect(await request(back, 'trial:submit', second)).toMatchObject({ ok: true });
        expect(await servedRightMap(one.url, token, id)).toEqual(
          rightMapOf([
            [first, right],
            [second, LOWERED],
          ]),
        );
      } finally {
        for (const socket of sockets) socket.close();
        for (const s of servers) await s.close();
        await cleanup();
      }
    });

    it('migrates, saves only over the map it read (insert, then update in place), counts the arm’s trials', async () => {
      const { db, cleanup } = await backend.open();
      try {
        await migrateToLatest(db);
        const at = '2026-01-05T10:00:00.000Z';
        await sql`insert into therapists (id, username, password_hash, created_at)
                  values ('t1', 'ora', 'hash', ${at})`.execute(db);
        await sql`insert into patients (id, therapist_id, code, label, affected_arm, posture, notes,
                  plan_json, calibration_json, created_at, updated_at)
                  values ('p1', 't1', 'C', 'L', 'right', 'seated', '', null, '{}', ${at}, ${at})`.execute(
          db,
        );
        const repo = kyselyPerformanceMapRepository(db);
        expect(await repo.find('p1', 'right')).toBeUndefined();
        const first = { snapshotJson: '{"a":1}', trialsCounted: 3 };
        expect(await repo.saveIfCounted('p1', 'right', first, null)).toBe(true);
        expect(await repo.saveIfCounted('p1', 'right', { ...first, trialsCounted: 9 }, null)).toBe(
          false,
        );
        // Another writer came between: the map it read held 2 trials, the stored one holds 3.
        const second = { snapshotJson: '{"a":2}', trialsCounted: 4 };
        expect(await repo.saveIfCounted('p1', 'right', second, 2)).toBe(false);
        expect(await repo.find('p1', 'right')).toEqual(first);
        expect(await repo.saveIfCounted('p1', 'right', second, 3)).toBe(true);
        expect(await repo.find('p1', 'right')).toEqual({
          snapshotJson: '{"a":2}',
          trialsCounted: 4,
        });
        expect(await repo.find('p1', 'left')).toBeUndefined();
        expect(await repo.countTrials('p1', 'right')).toBe(0);
        expect(await repo.listSource('p1', 'right')).toEqual([]);
      } finally {
        await cleanup();
      }
    });
  },
);
