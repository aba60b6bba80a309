import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type LiveSessionInfo,
  type LiveWorldMenu,
  type TrialFlags,
  type WorldMenuState,
  type Workspace,
} from '../../shared/protocol';
import type { SessionDetail } from '../../shared/protocol/http';
import type { PlacementSetting } from '../../shared/clinical';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import { loose } from '../support/sockets';
import {
  api,
  connect,
  createPatient,
  makeState,
  makeTrial,
  nextEvent,
  pairDeviceToken,
  poseFrameText,
  request,
  setUpClinic,
  sleep,
  therapistWithToken,
  type TestSocket,
} from './helpers';

const MENU: WorldMenuState = { secondsLeft: 27, fallback: 'reef', chosen: null, chosenBy: null };

describe('what the therapist’s live view is told', () => {
  let server: InProcessServer;
  let token: string;
  let patientId: string;
  let deviceToken: string;
  const sockets: TestSocket[] = [];
  const open = async (t: string) => {
    const socket = await connect(server.url, t);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startInProcessServer();
    ({ therapistToken: token, patientId, deviceToken } = await setUpClinic(server, 'dana'));
  });
  // A token holds at most four sockets: each test closes its own.
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await sleep(100);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('the world menu before the session: relayed with its poses, in the watch answer, closed by the start', async () => {
    const watcher = await open(token);
    expect(await request(watcher, 'patient:watch', { patientId })).toEqual({
      ok: true,
      data: { live: null },
    });
    const device = await open(deviceToken);
    const errors: unknown[] = [];
    loose(device).on('server:error', (e) => errors.push(e));

    const shown = nextEvent<LiveWorldMenu>(watcher, 'live:world-menu');
    device.emit('world:menu', MENU);
    const menu = await shown;
    expect(menu).toEqual({ patientId, poseAlias: expect.any(String), menu: MENU });

    // Poses while the patient chooses reach the mirror under the menu's alias.
    const pose = nextEvent<[string, string]>(watcher, 'live:pose');
    device.emit('pose:frame', poseFrameText(1));
    expect(await pose).toEqual([menu.poseAlias, poseFrameText(1)]);

    // A therapist who opens the live view now (or reloads it) is told at once.
    const late = await open(token);
    expect(await request(late, 'patient:watch', { patientId })).toEqual({
      ok: true,
      data: { live: null, worldMenu: menu },
    });

    // Bounded and checked on arrival.
    for (const bad of [
      { ...MENU, secondsLeft: 31 },
      { ...MENU, fallback: 'plain' },
      { ...MENU, chosen: 'moon' },
      { ...MENU, secondsLeft: 2.5 },
    ])
      device.emit('world:menu', bad as WorldMenuState);
    await sleep(300);
    expect(errors).toEqual(
      Array.from({ length: 4 }, () =>
        expect.objectContaining({ code: 'invalid_payload', event: 'world:menu' }),
      ),
    );

    const chosen = { ...MENU, secondsLeft: 14, chosen: 'lantern', chosenBy: 'patient' } as const;
    const update = nextEvent<LiveWorldMenu>(watcher, 'live:world-menu');
    device.emit('world:menu', chosen);
    expect((await update).menu).toEqual(chosen);

    // The session starts: the menu is gone, the session is there.
    const closed = nextEvent<LiveWorldMenu>(watcher, 'live:world-menu');
    const sessionId = randomUUID();
    expect(
      await request(device, 'session:start', {
        sessionId,
        mode: 'live',
        startedAt: new Date().toISOString(),
        world: 'lantern',
      }),
    ).toMatchObject({ ok: true });
    expect(await closed).toEqual({ patientId, poseAlias: menu.poseAlias, menu: null });
    const watched = await request(late, 'patient:watch', { patientId });
    expect(watched).toMatchObject({ ok: true, data: { live: { sessionId } } });
    expect((watched as { data: object }).data).not.toHaveProperty('worldMenu');

    // A playing headset has no menu to show.
    errors.length = 0;
    device.emit('world:menu', MENU);
    await sleep(300);
    expect(errors).toEqual([expect.objectContaining({ code: 'conflict', event: 'world:menu' })]);
    expect(
      await request(device, 'session:end', {
        sessionId,
        endedAt: new Date().toISOString(),
        reason: 'patient',
      }),
    ).toMatchObject({ ok: true });
  });

  it('a headset that leaves while the patient chooses: the menu closes for the watchers', async () => {
    const watcher = await open(token);
    await request(watcher, 'patient:watch', { patientId });
    const device = await open(deviceToken);
    const shown = nextEvent<LiveWorldMenu>(watcher, 'live:world-menu');
    device.emit('world:menu', MENU);
    const { poseAlias } = await shown;
    const closed = nextEvent<LiveWorldMenu>(watcher, 'live:world-menu');
    device.close();
    expect(await closed).toEqual({ patientId, poseAlias, menu: null });
    const again = await request(watcher, 'patient:watch', { patientId });
    expect((again as { data: object }).data).not.toHaveProperty('worldMenu');
  });

  it('the placement in force is in the live state, for watchers who come later too, and audited as the old value', async () => {
    const device = await open(deviceToken);
    loose(device).on('control:apply', (...args: unknown[]) =>
      (args.at(-1) as (r: unknown) => void)({ applied: true }),
    );
    const sessionId = randomUUID();
    await request(device, 'session:start', {
      sessionId,
      mode: 'live',
      startedAt: new Date().toISOString(),
    });
    const watcher = await open(token);
    await request(watcher, 'patient:watch', { patientId });
    const inForce: PlacementSetting = { mode: 'sector', sectors: [3, 17] };
    const relayed = nextEvent<LiveSessionInfo>(watcher, 'live:session');
    device.emit('session:state', makeState(sessionId, { placement: inForce }));
    expect((await relayed).state?.placement).toEqual(inForce);

    // The page reloaded: its new watch gets the mode in force from the server's live state.
    const reloaded = await open(token);
    const answer = await request(reloaded, 'patient:watch', { patientId });
    expect(answer).toMatchObject({
      ok: true,
      data: { live: { sessionId, state: { placement: inForce } } },
    });

    expect(
      await request(watcher, 'control:send', {
        sessionId,
        commandId: randomUUID(),
        command: { type: 'setPlacement', placement: { mode: 'balanced' } },
      }),
    ).toMatchObject({ ok: true });
    const audit = await api<{ entries: { action: string; oldValue: unknown }[] }>(
      server.url,
      'GET',
      `/api/patients/${patientId}/audit`,
      token,
    );
    expect(audit.body.entries.find((e) => e.action === 'control.setPlacement')?.oldValue).toEqual({
      placement: inForce,
    });
  });

  it('the session fetched to catch up carries its trials’ unusual-trial flags, as live:trial did', async () => {
    const workspace: Workspace = {
      arm: 'right',
      posture: 'seated',
      shoulder: [0.2, 1.2, 0],
      reach: { forward: 0.55, outward: 0.4, up: 0.3, across: 0.2 },
      measuredAt: '2026-01-01T09:00:00.000Z',
    };
    const device = await open(deviceToken);
    await request(device, 'calibration:save', { right: workspace });
    const watcher = await open(token);
    await request(watcher, 'patient:watch', { patientId });
    const play = async (sessionId: string, times: number[]) => {
      await request(device, 'session:start', {
        sessionId,
        mode: 'home',
        startedAt: new Date().toISOString(),
      });
      const flags: (TrialFlags | undefined)[] = [];
      for (const [i, movementTime] of times.entries()) {
        const trial = makeTrial(sessionId, i + 1, 10);
        trial.metrics = { ...trial.metrics, movementTime };
        const live = nextEvent<{ flags?: TrialFlags }>(watcher, 'live:trial');
        expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
        flags.push((await live).flags);
      }
      return flags;
    };
    // A baseline of 20 usual reaches, then a session with one far off.
    await play(
      randomUUID(),
      Array.from({ length: 20 }, (_, i) => [0.85, 0.87, 0.9, 0.93, 0.95][i % 5]!),
    );
    const sessionId = randomUUID();
    const live = await play(sessionId, [0.9, 3, 0.91]);
    expect(live[1]!.flags).toHaveLength(1);

    const detail = await api<SessionDetail>(server.url, 'GET', `/api/sessions/${sessionId}`, token);
    expect(detail.status).toBe(200);
    const { alert: _alert, ...kept } = live[1]!;
    expect(detail.body.flags).toEqual([{ trialId: detail.body.trials[1]!.id, flags: kept }]);
  });

  it('the abnormal-trial alert comes back to a live view that reloads, the latest once, to the patient’s therapist only', async () => {
    const ownPatient = (await createPatient(server.url, token, 'DASH-ALERT')).id;
    const device = await open(await pairDeviceToken(server.url, token, ownPatient));
    await request(device, 'calibration:save', {
      right: {
        arm: 'right',
        posture: 'seated',
        shoulder: [0.2, 1.2, 0],
        reach: { forward: 0.55, outward: 0.4, up: 0.3, across: 0.2 },
        measuredAt: '2026-01-01T09:00:00.000Z',
      },
    });
    const watcher = await open(token);
    await request(watcher, 'patient:watch', { patientId: ownPatient });
    const play = async (sessionId: string, times: number[]) => {
      const arrived: { trial: { id: string }; flags?: TrialFlags }[] = [];
      for (const [i, movementTime] of times.entries()) {
        const trial = makeTrial(sessionId, i + 1, 10);
        trial.metrics = { ...trial.metrics, movementTime };
        const live = nextEvent<{ trial: { id: string }; flags?: TrialFlags }>(
          watcher,
          'live:trial',
        );
        expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
        arrived.push(await live);
      }
      return arrived;
    };
    const start = (sessionId: string) =>
      request(device, 'session:start', {
        sessionId,
        mode: 'live',
        startedAt: new Date().toISOString(),
      });
    const before = randomUUID();
    await start(before);
    await play(
      before,
      Array.from({ length: 20 }, (_, i) => [0.85, 0.87, 0.9, 0.93, 0.95][i % 5]!),
    );
    const sessionId = randomUUID();
    await start(sessionId);
    const catchUp = async (t: string) =>
      api<SessionDetail>(server.url, 'GET', `/api/sessions/${sessionId}`, t);
    expect((await catchUp(token)).body.alert).toBeNull();

    // One reach far off raises the alert; a second within the minute is folded (no alert yet).
    const [usual, odd, odder] = await play(sessionId, [0.9, 3, 3.2]);
    expect(usual!.flags?.alert).toBeUndefined();
    const raised = odd!.flags!.alert!;
    expect(raised).toEqual({
      trials: 1,
      text: expect.stringMatching(/^A reach unusual for this patient: /),
    });
    expect(odder!.flags?.flags).toHaveLength(1);
    expect(odder!.flags?.alert).toBeUndefined();

    // The page reloads (or its socket reconnects): its watch and catch-up bring that alert back,
    // the one that went out, not one made up from the folded flag.
    const reloaded = await open(token);
    expect(await request(reloaded, 'patient:watch', { patientId: ownPatient })).toMatchObject({
      ok: true,
      data: { live: { sessionId } },
    });
    const detail = await catchUp(token);
    expect(detail.status).toBe(200);
    expect(detail.body.alert).toEqual({
      ...raised,
      trialId: odd!.trial.id,
      raisedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // A resent trial brings no second alert, live or stored.
    const resentLive = nextEvent<{ flags?: TrialFlags }>(watcher, 'live:trial');
    const resent = makeTrial(sessionId, 2, 10);
    resent.id = odd!.trial.id;
    resent.metrics = { ...resent.metrics, movementTime: 3 };
    expect(await request(device, 'trial:submit', resent)).toMatchObject({
      ok: true,
      data: { duplicate: true },
    });
    expect((await resentLive).flags?.alert).toBeUndefined();
    expect((await catchUp(token)).body.alert).toEqual(detail.body.alert);

    // The session's context is dropped (a calibration saved; likewise a restart or another
    // process): the monitor made again still waits for the minute after the stored alert.
    expect(
      await request(device, 'calibration:save', {
        right: {
          arm: 'right',
          posture: 'seated',
          shoulder: [0.2, 1.2, 0],
          reach: { forward: 0.55, outward: 0.4, up: 0.3, across: 0.2 },
          measuredAt: '2026-01-01T09:00:00.000Z',
        },
      }),
    ).toMatchObject({ ok: true });
    const afterRebuild = makeTrial(sessionId, 4, 10);
    afterRebuild.metrics = { ...afterRebuild.metrics, movementTime: 3.1 };
    const rebuiltLive = nextEvent<{ flags?: TrialFlags }>(watcher, 'live:trial');
    expect(await request(device, 'trial:submit', afterRebuild)).toMatchObject({ ok: true });
    const rebuilt = (await rebuiltLive).flags!;
    expect(rebuilt.flags).toHaveLength(1);
    expect(rebuilt.alert).toBeUndefined();
    expect((await catchUp(token)).body.alert).toEqual(detail.body.alert);

    // Another therapist can neither watch the patient nor read the session's alert.
    const otherToken = await therapistWithToken(server, 'ola');
    const other = await open(otherToken);
    expect(await request(other, 'patient:watch', { patientId: ownPatient })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const refused = await catchUp(otherToken);
    expect(refused.status).toBe(404);
    expect(JSON.stringify(refused.body)).not.toContain('unusual');
  });
});
