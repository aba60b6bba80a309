import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PatientRecord } from '../../shared/protocol/http';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';
import {
  api,
  connect,
  createPatient,
  makeTrial,
  nextEvent,
  pairDeviceToken,
  request,
  startSession,
  therapistWithToken,
  type TestSocket,
} from './helpers';

type Ack = (answer: { applied: boolean; error?: string }) => void;

/**
 * Difficulty on the server: levels and settings are stored apart and written atomically, a live
 * change lasts for the session unless kept, and a trial's follow-up survives a failure.
 */
describe('difficulty: levels, settings and live changes', () => {
  let server: InProcessServer;
  let therapistToken: string;
  let therapist: TestSocket;
  let patientId: string;
  let device: TestSocket;
  let sessionId: string;
  const sockets: TestSocket[] = [];

  const patient = async () =>
    (await api<PatientRecord>(server.url, 'GET', `/api/patients/${patientId}`, therapistToken))
      .body;
  const control = (command: Record<string, unknown>) =>
    request(therapist, 'control:send', { sessionId, commandId: randomUUID(), command });

  beforeAll(async () => {
    server = await startInProcessServer();
    therapistToken = await therapistWithToken(server, 'dana');
    therapist = await connect(server.url, therapistToken);
    sockets.push(therapist);
  });
  beforeEach(async () => {
    // A fresh patient (affected arm right, no plan, no level) and headset for each case.
    patientId = (await createPatient(server.url, therapistToken, `D-${randomUUID().slice(0, 8)}`))
      .id;
    device = await connect(
      server.url,
      await pairDeviceToken(server.url, therapistToken, patientId),
    );
    sockets.push(device);
    sessionId = (await startSession(device)).sessionId;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.close();
  });

  it('keeps the level of a trial committed while a kept change waits for the headset', async () => {
    const trial = { ...makeTrial(sessionId, 1), levelBefore: 62, levelAfter: 63.5 };
    device.on('control:apply', (_payload: unknown, ack: Ack) => {
      // The headset finishes a trial before it confirms the therapist's change.
      void request(device, 'trial:submit', trial).then(() => ack({ applied: true }));
    });
    const answer = await control({
      type: 'setDifficulty',
      arm: 'right',
      change: { minLevel: 5 },
      keep: true,
    });
    device.off('control:apply');
    expect(answer).toMatchObject({ ok: true, data: { applied: true } });
    const stored = await patient();
    expect(stored.difficulty.right?.level).toBe(63.5);
    expect(stored.difficulty.right?.updatedAt).toBe(trial.endedAt);
    expect(
      (stored.plan as { difficulty: { right: { minLevel: number } } }).difficulty.right,
    ).toMatchObject({ minLevel: 5, maxLevel: 100 });
  });

  it('applies a live change for this session only unless the therapist keeps it', async () => {
    device.on('control:apply', (_payload: unknown, ack: Ack) => ack({ applied: true }));
    const before = await patient();
    const change = { minLevel: 10, maxLevel: 10 };
    expect(await control({ type: 'setDifficulty', arm: 'right', change })).toMatchObject({
      ok: true,
    });
    const after = await patient();
    // Nothing stored changed: the next session starts with the plan's bounds, 0-100.
    expect(after.plan).toEqual(before.plan);
    expect(after.difficulty).toEqual(before.difficulty);

    expect(
      await control({ type: 'setDifficulty', arm: 'right', change, keep: true }),
    ).toMatchObject({ ok: true });
    device.off('control:apply');
    const kept = (await patient()).plan as {
      arm: string;
      difficulty: Record<'left' | 'right', { minLevel: number; maxLevel: number }>;
    };
    expect(kept.arm).toBe('right');
    expect(kept.difficulty.right).toMatchObject(change);
    expect(kept.difficulty.left).toMatchObject({ minLevel: 0, maxLevel: 100 });
    const audit = await api<{ entries: { action: string; newValue: unknown }[] }>(
      server.url,
      'GET',
      `/api/patients/${patientId}/audit`,
      therapistToken,
    );
    const sent = audit.body.entries.filter((e) => e.action === 'control.setDifficulty');
    expect(sent.map((e) => (e.newValue as { command: { keep?: boolean } }).command.keep)).toEqual(
      expect.arrayContaining([undefined, true]),
    );
    const keptEntry = audit.body.entries.find((e) => e.action === 'plan.difficulty_kept');
    expect(keptEntry?.newValue).toMatchObject({
      arm: 'right',
      difficulty: { minLevel: 10, maxLevel: 10 },
    });
  });

  it("changes one arm only and refuses bounds that cross the arm's stored ones", async () => {
    device.on('control:apply', (_payload: unknown, ack: Ack) => ack({ applied: true }));
    expect(
      await control({ type: 'setDifficulty', arm: 'left', change: { maxLevel: 30 }, keep: true }),
    ).toMatchObject({ ok: true });
    expect(
      await control({ type: 'setDifficulty', arm: 'left', change: { minLevel: 40 } }),
    ).toMatchObject({ ok: false, error: { code: 'out_of_bounds' } });
    expect(
      await control({ type: 'setDifficulty', arm: 'right', change: { minLevel: 40 } }),
    ).toMatchObject({ ok: true });
    device.off('control:apply');
    const plan = (await patient()).plan as {
      difficulty: Record<'left' | 'right', { minLevel: number; maxLevel: number }>;
    };
    expect(plan.difficulty.left).toMatchObject({ minLevel: 0, maxLevel: 30 });
    expect(plan.difficulty.right).toMatchObject({ minLevel: 0, maxLevel: 100 });
  });

  it("stores each arm's level apart, never rolled back by an older trial", async () => {
    const right = { ...makeTrial(sessionId, 2), arm: 'right' as const, levelAfter: 70 };
    const left = { ...makeTrial(sessionId, 3), arm: 'left' as const, levelAfter: 12 };
    const olderRight = { ...makeTrial(sessionId, 1), arm: 'right' as const, levelAfter: 40 };
    await Promise.all([
      request(device, 'trial:submit', right),
      request(device, 'trial:submit', left),
    ]);
    await request(device, 'trial:submit', olderRight);
    const { difficulty } = await patient();
    expect(difficulty).toEqual({
      left: { level: 12, updatedAt: left.endedAt },
      right: { level: 70, updatedAt: right.endedAt },
    });
  });

  // The failure is injected with a trigger in the server's (in-memory SQLite) database.
  it('completes the level and the live trial on the retry when they failed after the insert', async () => {
    expect(await request(therapist, 'patient:watch', { patientId })).toMatchObject({ ok: true });
    await sql`create trigger fail_patient_update before update on patients
              begin select raise(abort, 'injected failure'); end`.execute(server.db);
    try {
      const trial = { ...makeTrial(sessionId, 1), levelAfter: 44 };
      expect(await request(device, 'trial:submit', trial)).toMatchObject({
        ok: false,
        error: { code: 'internal' },
      });
      await sql`drop trigger fail_patient_update`.execute(server.db);
      const relayed = nextEvent<{ trial: { id: string } }>(therapist, 'live:trial');
      expect(await request(device, 'trial:submit', trial)).toEqual({
        ok: true,
        data: { trialId: trial.id, duplicate: true },
      });
      expect((await relayed).trial.id).toBe(trial.id);
      expect((await patient()).difficulty.right?.level).toBe(44);
    } finally {
      await sql`drop trigger if exists fail_patient_update`.execute(server.db);
    }
  });
});
