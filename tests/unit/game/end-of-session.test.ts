import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localDayOf, showProgressAtEnd } from '../../../client/patient/game/end-of-session';
import { createGameStore } from '../../../client/patient/game/store';
import type { SessionSummaryView } from '../../../shared/game/session/view';
import type { PlayedSession } from '../../../shared/protocol';

const summary = (trials: number, hits: number, bestStreak: number) =>
  ({
    trials,
    hits,
    misses: trials - hits,
    missNotReached: trials - hits,
    missTooSlow: 0,
    successRate: trials > 0 ? hits / trials : null,
    levelStart: 50,
    levelEnd: 52,
    metrics: {},
    bestStreak,
  }) as unknown as SessionSummaryView;

describe('the end of a session on the headset', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sets the session against the history once, keeps it offline, and says it', () => {
    const store = createGameStore();
    const said: string[] = [];
    const remembered: PlayedSession[] = [];
    const history = {
      completedSessions: 4,
      totalHits: 30,
      recent: [
        { sessionId: 'old', startedAt: '2026-06-09T08:00:00Z', trials: 10, hits: 9, bestStreak: 9 },
      ],
    };
    const stop = showProgressAtEnd({
      store,
      history,
      startedAt: () => '2026-06-10T08:00:00Z',
      thing: () => ({ one: 'tree', many: 'trees' }),
      say: (text) => said.push(text),
      remember: (played) => remembered.push(played),
    });
    store.setState({ status: 'running', sessionId: 'now', elapsedSeconds: 200 });
    expect(store.getState().endOfSession).toBeNull();
    store.setState({ status: 'ended', summary: summary(8, 6, 4), elapsedSeconds: 260 });
    // Published again (a late store write): still computed once.
    store.setState({ outboxLength: 1 });
    vi.runAllTimers();
    expect(store.getState().endOfSession).toMatchObject({
      reaches: 8,
      hits: 6,
      stars: 2,
      minutesActive: 4,
      completedSessions: 5,
      personalBest: { kind: 'total-hits', value: 36, previous: 30 },
    });
    expect(remembered).toEqual([
      { sessionId: 'now', startedAt: '2026-06-10T08:00:00Z', trials: 8, hits: 6, bestStreak: 4 },
    ]);
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('You have 5 trees now.');
    stop();
  });

  it("counts days on the headset's own calendar", () => {
    const a = localDayOf('2026-06-10T08:00:00Z');
    expect(
      localDayOf(new Date(Date.parse('2026-06-10T08:00:00Z') + 86_400_000).toISOString()),
    ).toBe(a + 1);
    expect(Number.isInteger(a)).toBe(true);
  });
});
