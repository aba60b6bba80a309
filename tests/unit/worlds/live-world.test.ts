import { describe, expect, it } from 'vitest';
import type { ClientSocket } from '../../../client/common/socket';
import type { GameSession } from '../../../client/patient/game/game-session';
import { connectLive } from '../../../client/patient/game/live';
import { createGameStore } from '../../../client/patient/game/store';
import type { LiveState, PlayedWorld } from '../../../shared/protocol';

const SESSION_ID = '4b1f6a3e-2c1d-4e5f-8a9b-0c1d2e3f4a5b';

describe('the live state names the world drawn', () => {
  it('sends the session world, then the plain room from the moment the world failed', () => {
    const store = createGameStore();
    store.setState({ sessionId: SESSION_ID, status: 'running' });
    const sent: LiveState[] = [];
    const socket = {
      connected: true,
      emit: (event: string, state: LiveState) => {
        if (event === 'session:state') sent.push(state);
      },
      on: () => {},
      off: () => {},
    } as unknown as ClientSocket;
    const game = { sessionId: SESSION_ID, store } as unknown as GameSession;
    let drawn: PlayedWorld = 'reef';
    const live = connectLive(
      socket,
      game,
      () => true,
      () => drawn,
    );

    live.resend();
    store.setState({ outboxLength: 3 }); // nothing the mirror shows: not sent
    drawn = 'plain'; // the reef failed to load (boot.ts resends at once)
    live.resend();
    store.setState({ score: 10 }); // the next scene change still names the plain room
    live.stop();

    expect(sent.map((s) => [s.world, s.score])).toEqual([
      ['reef', 0],
      ['plain', 0],
      ['plain', 10],
    ]);
  });
});
