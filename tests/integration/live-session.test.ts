import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPoseFrame,
  decodePoseFrame,
  encodePoseFrame,
  MAX_POSE_FRAME_BYTES,
  poseFrameFromBase64,
  poseFrameToBase64,
  type LiveSessionInfo,
} from '../../shared/protocol';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import {
  api,
  connect,
  createPatient,
  makeState,
  makeTrial,
  nextEvent,
  poseFrameText,
  request,
  pairDeviceToken,
  setUpClinic,
  sleep,
  startSession,
  therapistWithToken,
  type TestSocket,
} from './helpers';

describe('a live session watched by a therapist', () => {
  let server: InProcessServer;
  let therapistToken: string;
  let patientId: string;
  let therapist: TestSocket;
  let device: TestSocket;
  let sessionId: string;
  let poseAlias: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    server = await startInProcessServer();
    const clinic = await setUpClinic(server, 'carla');
    ({ therapistToken, patientId } = clinic);
    therapist = await connect(server.url, therapistToken);
    device = await connect(server.url, clinic.deviceToken);
    sockets.push(therapist, device);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.close();
  });

  it('tells a watcher about the session and relays its state and poses', async () => {
    expect(await request(therapist, 'patient:watch', { patientId })).toEqual({
      ok: true,
      data: { live: null },
    });
    const announced = nextEvent<LiveSessionInfo>(therapist, 'live:session');
    const started = await startSession(device);
    sessionId = started.sessionId;
    expect(started.answer).toEqual({ ok: true, data: { sessionId } });
    const info = await announced;
    expect(info).toMatchObject({
      patientId,
      sessionId,
      mode: 'live',
      deviceConnected: true,
      state: null,
    });
    expect(info.poseAlias).toMatch(/^[A-Za-z0-9_-]{8}$/);
    poseAlias = info.poseAlias;

    const stateSeen = nextEvent<LiveSessionInfo>(therapist, 'live:session');
    device.emit('session:state', makeState(sessionId, { level: 31 }));
    expect((await stateSeen).state).toMatchObject({ sessionId, level: 31, status: 'running' });

    const poses: [string, string][] = [];
    therapist.on('live:pose', (p) => poses.push(p));
    for (let i = 1; i <= 5; i++) {
      device.emit('pose:frame', poseFrameText(i));
      await sleep(20);
    }
    await sleep(200);
    expect(poses.map(([alias]) => alias)).toEqual(Array(5).fill(poseAlias));
    const decoded = createPoseFrame();
    expect(poses[4]![1]).toBe(poseFrameText(5));
    const bytes = poseFrameFromBase64(poses[4]![1]);
    expect(bytes).not.toBeNull();
    expect(decodePoseFrame(bytes!, decoded)).toBe(true);
    expect(decoded.sequence).toBe(5);
    expect(Array.from(decoded.head.position, (m) => Math.round(m * 1000))).toEqual([0, 1600, 100]);
    expect(decoded.present.rightController).toBe(true);
  });

  // What every relayed frame costs: the wire bytes of one tracked-hands frame, up and down. The
  // session is named by its 8-character alias, not its 36-character id (307 bytes down before).
  it('relays a tracked-hands frame as 247 bytes up and 259 down, alias and frame as sent', async () => {
    const frame = createPoseFrame();
    frame.present.head = true;
    frame.present.leftHand = true;
    frame.present.rightHand = true;
    const out = new Uint8Array(MAX_POSE_FRAME_BYTES);
    const text = poseFrameToBase64(out, encodePoseFrame(frame, new DataView(out.buffer)));
    expect(text.length).toBe(228);
    // Engine.IO message packets: '4' then the Socket.IO packet text, one WebSocket frame each.
    const upBytes: number[] = [];
    const downBytes: number[] = [];
    const onUp = (packet: { type: string; data?: unknown }) => {
      if (packet.type === 'message' && String(packet.data).includes('pose:frame'))
        upBytes.push(1 + String(packet.data).length);
    };
    const onDown = (packet: { type: string; data?: unknown }) => {
      if (packet.type === 'message' && String(packet.data).includes('live:pose'))
        downBytes.push(1 + String(packet.data).length);
    };
    device.io.engine.on('packetCreate', onUp);
    therapist.io.engine.on('packet', onDown);
    const relayed = nextEvent<[string, string]>(therapist, 'live:pose');
    device.emit('pose:frame', text);
    expect(await relayed).toEqual([poseAlias, text]);
    device.io.engine.off('packetCreate', onUp);
    therapist.io.engine.off('packet', onDown);
    expect(upBytes).toEqual([247]);
    expect(downBytes).toEqual([259]);
  });

  it('gives a late joiner the current state at once', async () => {
    const late = await connect(server.url, therapistToken);
    sockets.push(late);
    const answer = (await request(late, 'patient:watch', { patientId })) as {
      ok: true;
      data: { live: LiveSessionInfo };
    };
    expect(answer.ok).toBe(true);
    expect(answer.data.live).toMatchObject({
      patientId,
      sessionId,
      deviceConnected: true,
      state: { level: 31, instruction: 'Touch the star' },
    });
  });

  it('relays a committed trial and stores a resubmitted one only once', async () => {
    const trial = makeTrial(sessionId, 1, 3600);
    const seen = nextEvent<{ patientId: string; trial: Record<string, unknown> }>(
      therapist,
      'live:trial',
    );
    expect(await request(device, 'trial:submit', trial)).toEqual({
      ok: true,
      data: { trialId: trial.id, duplicate: false },
    });
    const live = await seen;
    expect(live.patientId).toBe(patientId);
    expect(live.trial.id).toBe(trial.id);
    expect(live.trial).not.toHaveProperty('samples');
    expect(await request(device, 'trial:submit', trial)).toEqual({
      ok: true,
      data: { trialId: trial.id, duplicate: true },
    });
    const detail = await api<{
      trials: { id: string }[];
      session: { summary: { trials: number } };
    }>(server.url, 'GET', `/api/sessions/${sessionId}`, therapistToken);
    expect(detail.body.trials.map((t) => t.id)).toEqual([trial.id]);
    expect(detail.body.session.summary.trials).toBe(1);
    const me = await api<{ difficulty: { right?: { level: number } } }>(
      server.url,
      'GET',
      `/api/patients/${patientId}`,
      therapistToken,
    );
    expect(me.body.difficulty.right?.level).toBe(trial.levelAfter);
  });

  it('applies a therapist change on the headset and answers once it is applied', async () => {
    const applied: unknown[] = [];
    device.on('control:apply', (payload, ack) => {
      applied.push(payload);
      ack({ applied: true });
    });
    const commandId = randomUUID();
    const change = { level: 40, distance: { easy: 0.4, hard: 0.9 } };
    const answer = (await request(therapist, 'control:send', {
      sessionId,
      commandId,
      command: { type: 'setDifficulty', arm: 'right', change },
    })) as { ok: boolean; data: { applied: boolean; appliedAt: string } };
    expect(answer.ok).toBe(true);
    expect(answer.data.applied).toBe(true);
    expect(Date.parse(answer.data.appliedAt)).not.toBeNaN();
    expect(applied).toEqual([
      { sessionId, commandId, command: { type: 'setDifficulty', arm: 'right', change } },
    ]);

    const audit = await api<{
      entries: { action: string; oldValue: unknown; newValue: unknown }[];
    }>(server.url, 'GET', `/api/patients/${patientId}/audit`, therapistToken);
    const entry = audit.body.entries.find((e) => e.action === 'control.setDifficulty');
    expect(entry?.oldValue).toEqual({
      level: 31,
      params: { distanceFraction: 0.6, targetRadius: 0.05, timeLimit: 4, spreadDeg: 40 },
    });
    expect(entry?.newValue).toEqual({
      commandId,
      command: { type: 'setDifficulty', arm: 'right', change },
      applied: true,
    });
    device.off('control:apply');
  });

  it('refuses a target beyond the calibrated reach before it reaches the headset', async () => {
    let reached = false;
    device.on('control:apply', (_p, ack) => {
      reached = true;
      ack({ applied: true });
    });
    const answer = await request(therapist, 'control:send', {
      sessionId,
      commandId: randomUUID(),
      command: {
        type: 'setDifficulty',
        arm: 'right',
        change: { distance: { easy: 0.5, hard: 1.2 } },
      },
    });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'out_of_bounds', event: 'control:send' },
    });
    expect(reached).toBe(false);
    device.off('control:apply');
  });

  it("passes on the headset's refusal and its silence", async () => {
    device.on('control:apply', (_p, ack) => ack({ applied: false, error: 'calibration running' }));
    expect(
      await request(therapist, 'control:send', {
        sessionId,
        commandId: randomUUID(),
        command: { type: 'pause' },
      }),
    ).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'calibration running', event: 'control:send' },
    });
    device.off('control:apply');
    device.on('control:apply', () => undefined);
    const silent = await request(therapist, 'control:send', {
      sessionId,
      commandId: randomUUID(),
      command: { type: 'resume' },
    });
    expect(silent).toMatchObject({ ok: false, error: { code: 'timeout' } });
    device.off('control:apply');
  });

  it('tells the watcher when the headset drops, and answers device_offline', async () => {
    const dropped = nextEvent<LiveSessionInfo>(therapist, 'live:session');
    device.close();
    expect(await dropped).toMatchObject({ sessionId, deviceConnected: false });
    expect(
      await request(therapist, 'control:send', {
        sessionId,
        commandId: randomUUID(),
        command: { type: 'recenter' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'device_offline' } });
  });
});

describe('two headsets of one patient', () => {
  let server: InProcessServer;
  let therapistToken: string;
  let patientId: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    server = await startInProcessServer();
    therapistToken = await therapistWithToken(server, 'dora');
    patientId = (await createPatient(server.url, therapistToken, 'P-200')).id;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.close();
  });

  const headset = async () => {
    const socket = await connect(
      server.url,
      await pairDeviceToken(server.url, therapistToken, patientId),
    );
    sockets.push(socket);
    return socket;
  };

  it('sends a command only to the headset of its session, whose answer is the one heard', async () => {
    const clinic = await headset();
    const home = await headset();
    const therapist = await connect(server.url, therapistToken);
    sockets.push(therapist);
    const clinicSession = (await startSession(clinic)).sessionId;
    const homeSession = (await startSession(home)).sessionId;

    // Each answers as the game does: it applies whatever arrives to the session it plays.
    const heardByClinic: unknown[] = [];
    const heardByHome: unknown[] = [];
    clinic.on('control:apply', (payload, ack) => {
      heardByClinic.push(payload);
      setTimeout(() => ack({ applied: true }), 100);
    });
    home.on('control:apply', (payload, ack) => {
      heardByHome.push(payload);
      ack({ applied: false, error: 'the session has ended' });
    });

    const commandId = randomUUID();
    const answer = await request(therapist, 'control:send', {
      sessionId: clinicSession,
      commandId,
      command: { type: 'end' },
    });
    expect(answer).toMatchObject({ ok: true, data: { applied: true } });
    expect(heardByClinic).toEqual([
      { sessionId: clinicSession, commandId, command: { type: 'end' } },
    ]);
    expect(heardByHome).toEqual([]);

    const pause = await request(therapist, 'control:send', {
      sessionId: homeSession,
      commandId: randomUUID(),
      command: { type: 'pause' },
    });
    expect(pause).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'the session has ended', event: 'control:send' },
    });
    expect(heardByHome.map((c) => (c as { sessionId: string }).sessionId)).toEqual([homeSession]);
    expect(heardByClinic).toHaveLength(1);
  });

  it('ends a session its own device left open as abandoned once that device starts another', async () => {
    const device = await headset();
    const other = await headset();
    const watcher = await connect(server.url, therapistToken);
    sockets.push(watcher);
    await request(watcher, 'patient:watch', { patientId });

    const otherSession = (await startSession(other)).sessionId;
    // Started on the test trials' clock (they are dated 5 January 2026).
    const left = randomUUID();
    await request(device, 'session:start', {
      sessionId: left,
      mode: 'live',
      startedAt: '2026-01-05T09:59:00.000Z',
    });
    const trial = makeTrial(left, 1);
    expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
    // Sent again (a reconnect or a reload that resumes): the same session, still open.
    expect(await startSession(device, left)).toMatchObject({ answer: { ok: true } });

    const announced: LiveSessionInfo[] = [];
    watcher.on('live:session', (info) => announced.push(info));
    const next = (await startSession(device)).sessionId;
    await sleep(200);

    type Listed = { sessions: { id: string; endedAt: string | null; endReason: string | null }[] };
    const listed = await api<Listed>(
      server.url,
      'GET',
      `/api/patients/${patientId}/sessions`,
      therapistToken,
    );
    const byId = new Map(listed.body.sessions.map((s) => [s.id, s]));
    // Ended when it was last played (its trial's end), not when the server noticed.
    expect(byId.get(left)).toMatchObject({ endedAt: trial.endedAt, endReason: 'abandoned' });
    expect(byId.get(next)).toMatchObject({ endedAt: null, endReason: null });
    // Another headset's session is not this device's to abandon.
    expect(byId.get(otherSession)).toMatchObject({ endedAt: null, endReason: null });
    expect(announced.map((a) => [a.sessionId, a.endReason ?? null])).toEqual(
      expect.arrayContaining([[next, null]]),
    );

    const csv = await api<string>(
      server.url,
      'GET',
      `/api/patients/${patientId}/sessions.csv`,
      therapistToken,
    );
    const rows = csv.body
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const column = (name: string) => rows[0]!.indexOf(name);
    const row = (id: string) => rows.find((r) => r[column('session_id')] === id)!;
    expect(row(left)[column('ended_at')]).toBe(trial.endedAt);
    expect(row(left)[column('end_reason')]).toBe('abandoned');
    expect(row(next)[column('ended_at')]).toBe('');
    expect(row(next)[column('end_reason')]).toBe('');
  });
});
