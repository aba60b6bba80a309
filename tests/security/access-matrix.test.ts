import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientToServer, type AckResult, type ClientToServerName } from '../../shared/protocol';
import { addTherapist, login, startServer, type RunningServer } from '../support/server';
import {
  api,
  connect,
  createPatient,
  loose,
  makeState,
  makeTrial,
  pairDevice,
  PASSWORD,
  poseFrameText,
  request,
  setUpClinic,
  shutdown,
  sleep,
  type Clinic,
  type TestSocket,
} from './harness';

/**
 * Who may do what, table-driven: every HTTP endpoint of docs/architecture.md and every client
 * event of shared/protocol/events.ts, tried by each kind of caller. Only the rightful caller
 * (the patient's therapist, or the patient's own paired headset) may succeed.
 */

type Caller = 'owner' | 'anonymous' | 'expired' | 'device' | 'otherTherapist' | 'revokedDevice';
const INTRUDERS: readonly Caller[] = [
  'anonymous',
  'expired',
  'device',
  'otherTherapist',
  'revokedDevice',
];

describe('access matrix', () => {
  let server: RunningServer;
  let a: Clinic;
  let b: Clinic;
  let tokens: Record<Caller, string | null>;
  let sessionId: string;
  let spareDeviceId: string;
  let erasablePatientId: string;
  let scaleEntryId: string;

  beforeAll(async () => {
    server = await startServer();
    a = await setUpClinic(server, 'alice');
    b = await setUpClinic(server, 'bob');
    // A second login of alice's, expired in the database as time would expire it.
    await addTherapist(server, 'alice2', PASSWORD);
    const expired = await login(server.url, 'alice', PASSWORD);
    const sqlite = new BetterSqlite3(join(server.dataDir, 'reach.sqlite'));
    sqlite
      .prepare("update login_tokens set expires_at = '2000-01-01T00:00:00.000Z' where id = ?")
      .run(
        (
          sqlite.prepare('select id from login_tokens order by created_at desc limit 1').get() as {
            id: string;
          }
        ).id,
      );
    sqlite.close();
    const revoked = await pairDevice(server.url, a.therapistToken, a.patientId);
    expect(
      (await api(server.url, 'DELETE', `/api/devices/${revoked.deviceId}`, a.therapistToken))
        .status,
    ).toBe(200);
    spareDeviceId = (await pairDevice(server.url, a.therapistToken, a.patientId)).deviceId;
    erasablePatientId = (await createPatient(server.url, a.therapistToken, 'alice-ERASE')).id;
    const score = await api<{ id: string }>(
      server.url,
      'POST',
      `/api/patients/${a.patientId}/scales`,
      a.therapistToken,
      { scale: 'box_and_block', arm: 'left', value: 40, measuredOn: '2026-01-10' },
    );
    expect(score.status).toBe(201);
    scaleEntryId = score.body.id;

    tokens = {
      owner: a.therapistToken,
      anonymous: null,
      expired,
      device: a.deviceToken,
      otherTherapist: b.therapistToken,
      revokedDevice: revoked.deviceToken,
    };

    const device = await connect(server.url, a.deviceToken);
    sessionId = randomUUID();
    expect(
      await request(device, 'session:start', {
        sessionId,
        mode: 'live',
        startedAt: new Date().toISOString(),
      }),
    ).toMatchObject({ ok: true });
    expect(await request(device, 'trial:submit', makeTrial(sessionId, 1))).toMatchObject({
      ok: true,
    });
    device.close();
  });

  afterAll(async () => {
    await shutdown(server);
  });

  describe('HTTP', () => {
    /** What each intruder must get: 401 without a valid token, 403 for the wrong role, 404 for others' records. */
    const therapistOnly = (caller: Caller, ownsRecord: boolean): number =>
      caller === 'anonymous' || caller === 'expired' || caller === 'revokedDevice'
        ? 401
        : caller === 'device'
          ? 403
          : ownsRecord
            ? 200
            : 404;

    interface Endpoint {
      method: string;
      path: () => string;
      body?: () => unknown;
      /** The status each caller must get. */
      expected: (caller: Caller) => number;
    }

    const owned = (method: string, path: () => string, body?: () => unknown): Endpoint => ({
      method,
      path,
      ...(body && { body }),
      expected: (caller) => therapistOnly(caller, caller === 'owner'),
    });

    const endpoints: Record<string, Endpoint> = {
      'GET /api/patients': {
        method: 'GET',
        path: () => '/api/patients',
        expected: (caller) => therapistOnly(caller, true),
      },
      'POST /api/patients': {
        method: 'POST',
        path: () => '/api/patients',
        body: () => ({
          code: `X-${randomUUID().slice(0, 8)}`,
          label: 'x',
          affectedArm: 'left',
          posture: 'seated',
        }),
        expected: (caller) =>
          therapistOnly(caller, true) === 200 ? 201 : therapistOnly(caller, true),
      },
      'GET /api/patients/:id': owned('GET', () => `/api/patients/${a.patientId}`),
      'PATCH /api/patients/:id': owned(
        'PATCH',
        () => `/api/patients/${a.patientId}`,
        () => ({
          notes: 'changed by the matrix',
        }),
      ),
      'POST /api/patients/:id/pairing-code': {
        ...owned('POST', () => `/api/patients/${a.patientId}/pairing-code`),
        expected: (caller) => (caller === 'owner' ? 201 : therapistOnly(caller, false)),
      },
      'GET /api/patients/:id/devices': owned('GET', () => `/api/patients/${a.patientId}/devices`),
      'DELETE /api/devices/:id': owned('DELETE', () => `/api/devices/${spareDeviceId}`),
      'GET /api/patients/:id/sessions': owned('GET', () => `/api/patients/${a.patientId}/sessions`),
      'GET /api/sessions/:id': owned('GET', () => `/api/sessions/${sessionId}`),
      'GET /api/sessions/:id/trials.csv': owned(
        'GET',
        () => `/api/sessions/${sessionId}/trials.csv`,
      ),
      'GET /api/patients/:id/sessions.csv': owned(
        'GET',
        () => `/api/patients/${a.patientId}/sessions.csv`,
      ),
      'GET /api/sessions/:id/fhir': owned('GET', () => `/api/sessions/${sessionId}/fhir`),
      'GET /api/sessions/:id/personal': owned('GET', () => `/api/sessions/${sessionId}/personal`),
      'GET /api/patients/:id/map.csv': owned('GET', () => `/api/patients/${a.patientId}/map.csv`),
      'GET /api/patients/:id/trends.csv': owned(
        'GET',
        () => `/api/patients/${a.patientId}/trends.csv`,
      ),
      'GET /api/patients/:id/alerts.csv': owned(
        'GET',
        () => `/api/patients/${a.patientId}/alerts.csv`,
      ),
      'GET /api/patients/:id/ratings': owned('GET', () => `/api/patients/${a.patientId}/ratings`),
      'GET /api/patients/:id/ratings.csv': owned(
        'GET',
        () => `/api/patients/${a.patientId}/ratings.csv`,
      ),
      'GET /api/patients/:id/audit': owned('GET', () => `/api/patients/${a.patientId}/audit`),
      'GET /api/patients/:id/export': owned('GET', () => `/api/patients/${a.patientId}/export`),
      'GET /api/patients/:id/scales': owned('GET', () => `/api/patients/${a.patientId}/scales`),
      'GET /api/patients/:id/performance-map': owned(
        'GET',
        () => `/api/patients/${a.patientId}/performance-map`,
      ),
      'POST /api/patients/:id/scales': {
        ...owned(
          'POST',
          () => `/api/patients/${a.patientId}/scales`,
          () => ({ scale: 'arat', arm: 'right', value: 12, measuredOn: '2026-01-11' }),
        ),
        expected: (caller) => (caller === 'owner' ? 201 : therapistOnly(caller, false)),
      },
      'PATCH /api/patients/:id/scales/:entryId': owned(
        'PATCH',
        () => `/api/patients/${a.patientId}/scales/${scaleEntryId}`,
        () => ({ value: 41 }),
      ),
      'GET /api/patients/:id/scales.csv': owned(
        'GET',
        () => `/api/patients/${a.patientId}/scales.csv`,
      ),
      'GET /api/patients/:id/scales/fhir': owned(
        'GET',
        () => `/api/patients/${a.patientId}/scales/fhir`,
      ),
      'DELETE /api/patients/:id/scales/:entryId': owned(
        'DELETE',
        () => `/api/patients/${a.patientId}/scales/${scaleEntryId}`,
      ),
      'DELETE /api/patients/:id': owned('DELETE', () => `/api/patients/${erasablePatientId}`),
      'GET /api/device/me': {
        method: 'GET',
        path: () => '/api/device/me',
        expected: (caller) =>
          caller === 'device' ? 200 : caller === 'owner' || caller === 'otherTherapist' ? 403 : 401,
      },
    };

    // Intruders first, so the owner's erasure and revocation come last.
    it.each(Object.keys(endpoints))('%s answers each caller as it should', async (name) => {
      const endpoint = endpoints[name]!;
      const callers: Caller[] = [...INTRUDERS, 'owner'];
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const caller of callers) {
        const answer = await api(
          server.url,
          endpoint.method,
          endpoint.path(),
          tokens[caller],
          endpoint.body?.(),
        );
        got[caller] = answer.status;
        want[caller] = endpoint.expected(caller);
      }
      expect(got).toEqual(want);
    });

    it("never lists another therapist's patients", async () => {
      const list = await api<{ patients: { id: string }[] }>(
        server.url,
        'GET',
        '/api/patients',
        b.therapistToken,
      );
      const ids = list.body.patients.map((p) => p.id);
      expect(ids).toContain(b.patientId);
      expect(ids).not.toContain(a.patientId);
    });

    it('logout answers only a signed-in therapist', async () => {
      const statuses: Record<string, number> = {};
      // Signing out touches only the caller's own token: bob signs out with a login of his own.
      const own = { ...tokens, otherTherapist: await login(server.url, 'bob', PASSWORD) };
      for (const caller of INTRUDERS) {
        statuses[caller] = (await api(server.url, 'POST', '/api/auth/logout', own[caller])).status;
      }
      statuses.owner = (
        await api(
          server.url,
          'POST',
          '/api/auth/logout',
          await login(server.url, 'alice', PASSWORD),
        )
      ).status;
      expect(statuses).toEqual({
        anonymous: 401,
        expired: 401,
        device: 403,
        otherTherapist: 200,
        revokedDevice: 401,
        owner: 200,
      });
    });
  });

  describe('Socket.IO', () => {
    it.each(['anonymous', 'expired', 'revokedDevice', 'forged'])(
      'refuses the handshake of %s',
      async (caller) => {
        const token =
          caller === 'forged'
            ? 'rd_forged'
            : caller === 'anonymous'
              ? ''
              : tokens[caller as Caller]!;
        const error = await connect(server.url, token).catch((e: unknown) => e);
        expect(error).toMatchObject({ message: 'unauthenticated' });
      },
    );

    /** Live sockets of every caller who can connect at all. */
    let sockets: Record<'owner' | 'otherTherapist' | 'device' | 'otherDevice', TestSocket>;

    beforeAll(async () => {
      const ownerToken = await login(server.url, 'alice', PASSWORD);
      sockets = {
        owner: await connect(server.url, ownerToken),
        otherTherapist: await connect(server.url, b.therapistToken),
        device: await connect(server.url, a.deviceToken),
        otherDevice: await connect(server.url, b.deviceToken),
      };
      // The headset applies every command, so a refused command is the server's doing.
      loose(sockets.device).on('control:apply', (...args: unknown[]) => {
        (args.at(-1) as (r: unknown) => void)({ applied: true });
      });
      expect(
        await request(sockets.device, 'session:start', {
          sessionId,
          mode: 'live',
          startedAt: new Date().toISOString(),
        }),
      ).toMatchObject({ ok: true });
    });

    afterAll(() => {
      for (const s of Object.values(sockets ?? {})) s.close();
    });

    const valid: Record<ClientToServerName, () => unknown> = {
      'session:start': () => ({ sessionId, mode: 'live', startedAt: new Date().toISOString() }),
      'session:end': () => ({ sessionId, endedAt: new Date().toISOString(), reason: 'patient' }),
      'session:state': () => makeState(sessionId),
      'world:menu': () => ({ secondsLeft: 12, fallback: 'orchard', chosen: null, chosenBy: null }),
      'pose:frame': () => poseFrameText(1),
      'trial:submit': () => makeTrial(sessionId, 2),
      'rating:submit': () => ({
        sessionId,
        setIndex: 0,
        arm: 'right',
        effort: 3.5,
        pain: 1,
        skipped: false,
        painPauseAt: 5,
        ratedAt: new Date().toISOString(),
      }),
      'calibration:save': () => ({}),
      'patient:watch': () => ({ patientId: a.patientId }),
      'patient:unwatch': () => ({ patientId: a.patientId }),
      'control:send': () => ({ sessionId, commandId: randomUUID(), command: { type: 'pause' } }),
    };

    /** The error code each intruder must get per acknowledged event ('ok' = allowed). */
    const expectations: Record<
      Exclude<ClientToServerName, 'session:state' | 'world:menu' | 'pose:frame'>,
      Record<'owner' | 'otherTherapist' | 'device' | 'otherDevice', string>
    > = {
      'session:start': {
        owner: 'forbidden',
        otherTherapist: 'forbidden',
        device: 'ok',
        otherDevice: 'forbidden',
      },
      'trial:submit': {
        owner: 'forbidden',
        otherTherapist: 'forbidden',
        device: 'ok',
        otherDevice: 'forbidden',
      },
      // A set of a session of the sender's own patient only.
      'rating:submit': {
        owner: 'forbidden',
        otherTherapist: 'forbidden',
        device: 'ok',
        otherDevice: 'forbidden',
      },
      // Saves to the sender's own patient only: the payload names no patient.
      'calibration:save': {
        owner: 'forbidden',
        otherTherapist: 'forbidden',
        device: 'ok',
        otherDevice: 'ok',
      },
      'patient:watch': {
        owner: 'ok',
        otherTherapist: 'forbidden',
        device: 'forbidden',
        otherDevice: 'forbidden',
      },
      // Leaving a room one is not in reveals and changes nothing, so it may answer ok.
      'patient:unwatch': {
        owner: 'ok',
        otherTherapist: 'ok',
        device: 'forbidden',
        otherDevice: 'forbidden',
      },
      'control:send': {
        owner: 'ok',
        otherTherapist: 'forbidden',
        device: 'forbidden',
        otherDevice: 'forbidden',
      },
      'session:end': {
        owner: 'forbidden',
        otherTherapist: 'forbidden',
        device: 'ok',
        otherDevice: 'forbidden',
      },
    };

    it.each(Object.keys(expectations))('%s answers each caller as it should', async (event) => {
      const want = expectations[event as keyof typeof expectations];
      const got: Record<string, string> = {};
      const order = ['otherTherapist', 'otherDevice', 'owner', 'device'] as const;
      for (const caller of order) {
        if (event === 'patient:watch' || event === 'control:send') {
          await request(sockets.owner, 'patient:watch', { patientId: a.patientId });
        }
        const answer = (await request(
          sockets[caller],
          event,
          valid[event as ClientToServerName](),
        )) as AckResult<unknown>;
        got[caller] = answer.ok ? 'ok' : answer.error.code;
      }
      expect(got).toEqual(want);
    });

    it("does not relay another patient's device's state, world menu or poses to a watcher", async () => {
      // A fresh session for alice's patient, watched by alice.
      sessionId = randomUUID();
      expect(
        await request(sockets.device, 'session:start', valid['session:start']()),
      ).toMatchObject({ ok: true });
      expect(
        await request(sockets.owner, 'patient:watch', { patientId: a.patientId }),
      ).toMatchObject({ ok: true });
      const seen: string[] = [];
      for (const event of ['live:session', 'live:pose', 'live:trial', 'live:world-menu']) {
        loose(sockets.owner).on(event, () => seen.push(event));
      }
      const errors: unknown[] = [];
      loose(sockets.otherDevice).on('server:error', (e) => errors.push(e));
      sockets.otherDevice.emit('session:state', makeState(sessionId));
      sockets.otherDevice.emit('pose:frame', poseFrameText(7));
      // Shown to its own patient's watchers only; its poses then too.
      loose(sockets.otherDevice).emit('world:menu', valid['world:menu']());
      sockets.otherDevice.emit('pose:frame', poseFrameText(8));
      await sleep(500);
      expect(seen).toEqual([]);
      // The pose frame is refused at once, the state after a database lookup.
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'forbidden', event: 'session:state' }),
          expect.objectContaining({ code: 'conflict', event: 'pose:frame' }),
        ]),
      );
      expect(errors).toHaveLength(2);
    });

    it('refuses fire-and-forget events of the wrong role with server:error', async () => {
      const errors: { code: string; event: string }[] = [];
      loose(sockets.otherTherapist).on('server:error', (e) => errors.push(e as (typeof errors)[0]));
      sockets.otherTherapist.emit('session:state', makeState(sessionId));
      sockets.otherTherapist.emit('pose:frame', poseFrameText(1));
      await sleep(300);
      expect(errors.map((e) => [e.event, e.code])).toEqual([
        ['session:state', 'forbidden'],
        ['pose:frame', 'forbidden'],
      ]);
    });

    it('every client event of the contract is covered by this matrix', () => {
      expect(Object.keys(valid).sort()).toEqual(Object.keys(clientToServer).sort());
    });
  });
});
