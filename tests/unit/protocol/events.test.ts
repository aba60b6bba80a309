import { describe, expect, it } from 'vitest';
import {
  clientToServer,
  controlCommandSchema,
  difficultyChangeSchema,
  handshakeAuthSchema,
} from '../../../shared/protocol';

describe('wire contract', () => {
  it('names who may send every client event', () => {
    for (const [name, spec] of Object.entries(clientToServer)) {
      expect(spec.roles.length, name).toBeGreaterThan(0);
    }
    expect(clientToServer['control:send'].roles).toEqual(['therapist']);
    expect(clientToServer['trial:submit'].roles).toEqual(['device']);
  });

  it('refuses a difficulty change that would put targets beyond the calibrated reach', () => {
    expect(difficultyChangeSchema.safeParse({ distance: { easy: 0.4, hard: 1.2 } }).success).toBe(
      false,
    );
    expect(difficultyChangeSchema.safeParse({ distance: { easy: 0.4, hard: 0.9 } }).success).toBe(
      true,
    );
  });

  it('refuses inverted level bounds, unknown fields and non-finite numbers', () => {
    expect(difficultyChangeSchema.safeParse({ minLevel: 60, maxLevel: 40 }).success).toBe(false);
    expect(difficultyChangeSchema.safeParse({ bogus: 1 }).success).toBe(false);
    expect(difficultyChangeSchema.safeParse({ gain: Number.NaN }).success).toBe(false);
    expect(difficultyChangeSchema.safeParse({ targetSuccess: 0.9 }).success).toBe(false);
  });

  it('takes the world a session started in as an optional field, one the headset can draw', () => {
    const start = clientToServer['session:start'].payload;
    const base = {
      sessionId: '4b1f6a3e-2c1d-4e5f-8a9b-0c1d2e3f4a5b',
      mode: 'live',
      startedAt: '2026-01-01T10:00:00Z',
    };
    expect(start.parse({ ...base, world: 'reef' })).toEqual({ ...base, world: 'reef' });
    // headsets from before worlds send none
    expect(start.parse(base)).toEqual(base);
    // 'choice' is resolved on the headset before a session starts: never a world played
    expect(start.safeParse({ ...base, world: 'choice' }).success).toBe(false);
    expect(start.safeParse({ ...base, world: 'mars' }).success).toBe(false);
    expect(start.safeParse({ ...base, world: null }).success).toBe(false);
  });

  it('accepts each control command and rejects an unknown one', () => {
    expect(controlCommandSchema.safeParse({ type: 'setTask', task: 'hold' }).success).toBe(true);
    expect(controlCommandSchema.safeParse({ type: 'setTask', task: 'dance' }).success).toBe(false);
    expect(controlCommandSchema.safeParse({ type: 'selfDestruct' }).success).toBe(false);
  });

  it('requires a protocol version and a bounded token at the handshake', () => {
    expect(handshakeAuthSchema.safeParse({ token: 'x' }).success).toBe(false);
    expect(
      handshakeAuthSchema.safeParse({ protocolVersion: 1, token: 'x'.repeat(3000) }).success,
    ).toBe(false);
  });
});
