import type { LiveSessionInfo } from '../../shared/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DurableQueue,
  newSessionId,
  SimulatedHeadset,
  type HeadsetCounts,
} from '../faults/simulated-headset';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import { waitFor } from '../support/sockets';
import {
  connect,
  createPatient,
  nextEvent,
  pairDeviceToken,
  request,
  startSession,
  therapistWithToken,
  type TestSocket,
} from './helpers';

/**
 * A headset that never comes back (battery dead, Wi-Fi gone) must not keep its session open in
 * the records: the therapist's stop ends it on the server, and when that headset does come back,
 * the session stays ended and nothing it recorded meanwhile is lost.
 */
describe('the therapist ends a session whose headset is gone', () => {
  let server: InProcessServer;
  let therapist: TestSocket;
  let patientId: string;
  let deviceToken: string;
  const headsets: SimulatedHeadset[] = [];

  beforeAll(async () => {
    server = await startInProcessServer();
    const therapistToken = await therapistWithToken(server, 'erin');
    patientId = (await createPatient(server.url, therapistToken, 'P-END')).id;
    deviceToken = await pairDeviceToken(server.url, therapistToken, patientId);
    therapist = await connect(server.url, therapistToken);
  });
  afterAll(async () => {
    for (const h of headsets) h.close();
    therapist?.close();
    await server?.close();
  });

  const headset = (queue: DurableQueue, counts: HeadsetCounts, sessionId: string) => {
    const h = new SimulatedHeadset(server.url, deviceToken, queue, counts, sessionId);
    headsets.push(h);
    return h;
  };
  const sessionRow = (sessionId: string) =>
    server.db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
  const auditOf = (sessionId: string) =>
    server.db
      .selectFrom('audit_log')
      .select(['actor_kind', 'action'])
      .where('session_id', '=', sessionId)
      .orderBy('seq')
      .execute();

  it('ends it as `therapist`, audited; the headset back is told so and its queued trial is kept once', async () => {
    const queue = new DurableQueue();
    const counts = SimulatedHeadset.newCounts();
    const sessionId = newSessionId();
    const first = headset(queue, counts, sessionId);
    first.startSession();
    await waitFor(() => queue.items.length === 0, 5000, 'session:start delivered');
    expect(first.answers).toEqual([
      { kind: 'session:start', answer: { ok: true, data: { sessionId } } },
    ]);

    // The headset goes away; the game plays on offline and queues its trial.
    await request(therapist, 'patient:watch', { patientId });
    const gone = nextEvent<LiveSessionInfo>(therapist, 'live:session');
    first.close();
    expect(await gone).toMatchObject({ sessionId, deviceConnected: false });
    first.finishTrial();
    expect(queue.items.map((i) => i.kind)).toEqual(['trial:submit']);

    const before = Date.now();
    const stop = await request(therapist, 'control:send', {
      sessionId,
      commandId: newSessionId(),
      command: { type: 'end' },
    });
    expect(stop).toMatchObject({ ok: true, data: { applied: true, ended: 'server' } });
    const ended = await sessionRow(sessionId);
    expect(ended?.end_reason).toBe('therapist');
    expect(Date.parse(ended!.ended_at!)).toBeGreaterThanOrEqual(before - 1000);
    expect(server.context.live.get(patientId)).toBeNull();
    expect(await auditOf(sessionId)).toEqual([
      { actor_kind: 'device', action: 'session.start' },
      { actor_kind: 'therapist', action: 'session.end' },
      { actor_kind: 'therapist', action: 'control.end' },
    ]);
    // Stopped once: a second stop is refused, not a second end.
    expect(
      await request(therapist, 'control:send', {
        sessionId,
        commandId: newSessionId(),
        command: { type: 'end' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // The page reloads and resumes the session: session:start again, behind the queued trial.
    const back = headset(queue, counts, sessionId);
    back.startSession();
    await waitFor(() => queue.items.length === 0, 5000, 'outbox drained');
    expect(back.answers).toEqual([
      {
        kind: 'trial:submit',
        answer: { ok: true, data: { trialId: counts.finished[0], duplicate: false } },
      },
      {
        kind: 'session:start',
        answer: {
          ok: true,
          data: { sessionId, ended: { endedAt: ended!.ended_at, reason: 'therapist' } },
        },
      },
    ]);
    expect(counts.discarded).toEqual([]);
    const stored = await server.db
      .selectFrom('trials')
      .select('id')
      .where('session_id', '=', sessionId)
      .execute();
    expect(stored.map((t) => t.id)).toEqual(counts.finished);
    // Not reopened: the first end stands, and no live session came back.
    expect(await sessionRow(sessionId)).toMatchObject({
      ended_at: ended!.ended_at,
      end_reason: 'therapist',
    });
    expect(server.context.live.get(patientId)).toBeNull();
  });

  it('ends it too when the headset is connected but does not confirm in time', async () => {
    const mute = await connect(server.url, deviceToken);
    mute.on('control:apply', () => undefined);
    const { sessionId } = await startSession(mute);
    try {
      const stop = await request(therapist, 'control:send', {
        sessionId,
        commandId: newSessionId(),
        command: { type: 'end' },
      });
      expect(stop).toMatchObject({ ok: true, data: { applied: true, ended: 'server' } });
      expect(await sessionRow(sessionId)).toMatchObject({ end_reason: 'therapist' });
    } finally {
      mute.close();
    }
  });
});
