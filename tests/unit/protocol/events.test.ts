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
