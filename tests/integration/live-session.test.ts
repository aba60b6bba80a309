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
import { startServer, type RunningServer } from '../support/server';
import {
  api,
  connect,
  createPatient,
  makeState,
  makeTrial,
  nextEvent,
  pairDeviceToken,
  request,
  sleep,
  startSession,
  therapistWithToken,
  type TestSocket,
} from './helpers';

function poseFrameText(sequence: number): string {
  const frame = createPoseFrame();
  frame.sequence = sequence;
  frame.timeMs = sequence * 33;
  frame.present.head = true;
  frame.head.position.set([0, 1.6, 0.1]);
  frame.present.rightController = true;
  frame.rightController.position.set([0.2, 1.1, -0.3]);
  const out = new Uint8Array(MAX_POSE_FRAME_BYTES);
  return poseFrameToBase64(out, encodePoseFrame(frame, new DataView(out.buffer)));
}

describe('a live session watched by a therapist', () => {
  let server: RunningServer;
  let therapistToken: string;
  let patientId: string;
  let therapist: TestSocket;
  let device: TestSocket;
  let sessionId: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    server = await startServer();
    therapistToken = await therapistWithToken(server, 'carla');
    patientId = (await createPatient(server.url, therapistToken, 'P-100')).id;
    const deviceToken = await pairDeviceToken(server.url, therapistToken, patientId);
    therapist = await connect(server.url, therapistToken);
    device = await connect(server.url, deviceToken);
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
    expect(await announced).toMatchObject({
      patientId,
      sessionId,
      mode: 'live',
      deviceConnected: true,
      state: null,
    });

    const stateSeen = nextEvent<LiveSessionInfo>(therapist, 'live:session');
    device.emit('session:state', makeState(sessionId, { level: 31 }));
    expect((await stateSeen).state).toMatchObject({ sessionId, level: 31, status: 'running' });

    const poses: { sessionId: string; frame: string }[] = [];
    therapist.on('live:pose', (p) => poses.push(p as { sessionId: string; frame: string }));
    for (let i = 1; i <= 5; i++) {
      device.emit('pose:frame', poseFrameText(i));
      await sleep(20);
    }
    await sleep(200);
    expect(poses.map((p) => p.sessionId)).toEqual(Array(5).fill(sessionId));
    const decoded = createPoseFrame();
    expect(poses[4]!.frame).toBe(poseFrameText(5));
    const bytes = poseFrameFromBase64(poses[4]!.frame);
    expect(bytes).not.toBeNull();
    expect(decodePoseFrame(bytes!, decoded)).toBe(true);
    expect(decoded.sequence).toBe(5);
    expect(Array.from(decoded.head.position, (m) => Math.round(m * 1000))).toEqual([0, 1600, 100]);
    expect(decoded.present.rightController).toBe(true);
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
      { commandId, command: { type: 'setDifficulty', arm: 'right', change } },
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
