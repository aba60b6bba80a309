import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, mergeDifficulty } from '../../../shared/clinical';
import { liveStateSchema } from '../../../shared/protocol';
import { liveStateOf } from '../../../client/patient/game/live';
import { createGameStore } from '../../../client/patient/game/store';

describe('the live state the headset publishes', () => {
  const playing = () => ({
    ...createGameStore().getState(),
    sessionId: '11111111-1111-4111-8111-111111111111',
    status: 'running' as const,
  });

  it('carries each arm’s difficulty settings in force, and passes its own schema (else it is not sent)', () => {
    const difficulty = {
      ...DEFAULT_PLAN.difficulty,
      left: mergeDifficulty(DEFAULT_PLAN.difficulty.left, { minLevel: 10, maxLevel: 60 }),
    };
    const state = liveStateOf({ ...playing(), difficulty });
    expect(state.difficulty).toEqual(difficulty);
    const parsed = liveStateSchema.safeParse(state);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.difficulty?.left).toMatchObject({ minLevel: 10, maxLevel: 60 });
  });

  it('leaves it out before a session has settings', () => {
    const state = liveStateOf(playing());
    expect(state).not.toHaveProperty('difficulty');
    expect(liveStateSchema.safeParse(state).success).toBe(true);
  });
});
