import { describe, expect, it } from 'vitest';
import type { Workspace } from '../../../shared/protocol';
import type { SessionRecord } from '../../../shared/protocol/http';
import { personalPanelData } from '../../../client/therapist/history/personal-data';
import { makeTrial } from './fixtures';

const WORKSPACE: Workspace = {
  arm: 'right',
  posture: 'seated',
  shoulder: [0.18, 1.0, 0],
  reach: { forward: 0.55, outward: 0.5, up: 0.35, across: 0.25 },
  measuredAt: '2026-01-01T00:00:00.000Z',
};

const session = (id: string, day: number, levelEnd: number | null): SessionRecord => ({
  id,
  patientId: 'p1',
  mode: 'home',
  startedAt: new Date(Date.UTC(2026, 0, 1 + day, 10)).toISOString(),
  endedAt: null,
  endReason: null,
  summary: {
    trials: 2,
    hits: 1,
    successRate: 0.5,
    levelStart: 50,
    levelEnd,
    activeMinutes: 1,
    reachWorkspace: 0.41,
  },
});

describe('personal panel data', () => {
  it('maps stored trials by their targets (sessions in any order), pools heights from above, and trends the level', () => {
    const sessions = [0, 4, 8, 12, 16].map((day, s) => ({
      session: session(`s${s}`, day, 50 + 2 * s),
      trials: [
        makeTrial(2, {
          sessionId: `s${s}`,
          target: [0.08, 1.25, -0.3],
          outcome: 'miss_not_reached',
        }),
        makeTrial(1, { sessionId: `s${s}`, target: [0.13, 1.05, -0.4] }),
      ],
    }));
    const data = personalPanelData({ right: WORKSPACE }, [...sessions].reverse(), 'right');
    expect(data.arms).toEqual(['right']);
    expect(data.overWeeks[18]).toMatchObject({ trials: 5, successRate: 0 });
    expect(data.overWeeks[11]).toMatchObject({ trials: 5, successRate: 1 });
    expect(data.lastSession[18]!.trials).toBe(1);
    expect(data.overWeeksFromAbove.map((c) => c.trials)).toEqual([0, 0, 5, 5, 0, 0, 0, 0]);
    const level = data.trends.find((t) => t.measure === 'levelReached')!;
    expect(level.state).toBe('trend');
    if (level.state === 'trend') expect(level.slope).toBeCloseTo(3.5, 10); // 2 levels per 4 days
    expect(data.trends.find((t) => t.measure === 'assessmentSuccess')!.state).toBe(
      'not_enough_data',
    );
  });

  it('trends the assessment measures from the trials marked assessment, per session', () => {
    const sessions = [0, 4, 8, 12, 16].map((day, s) => ({
      session: session(`s${s}`, day, 50),
      trials: [
        // Session s: its test hit in s of 4 trials; the adaptive trial (a hit) is not counted.
        ...[1, 2, 3, 4].map((n) =>
          makeTrial(n, {
            sessionId: `s${s}`,
            assessment: true,
            outcome: n <= s ? 'hit' : 'miss_not_reached',
          }),
        ),
        makeTrial(5, { sessionId: `s${s}` }),
      ],
    }));
    const data = personalPanelData({ right: WORKSPACE }, sessions, 'right');
    const success = data.trends.find((t) => t.measure === 'assessmentSuccess')!;
    expect(success.state).toBe('trend');
    // 0, 0.25, 0.5, 0.75, 1 over 16 days: 0.25 per 4 days = 0.4375 per week.
    if (success.state === 'trend') expect(success.slope).toBeCloseTo(0.4375, 10);
    const unmarked = personalPanelData(
      { right: WORKSPACE },
      sessions.map((s) => ({ ...s, trials: s.trials.map((t) => ({ ...t, assessment: false })) })),
      'right',
    );
    expect(unmarked.trends.find((t) => t.measure === 'assessmentSuccess')!.state).toBe(
      'not_enough_data',
    );
  });

  it('without calibration the trials have no sector: counted, never drawn as zero-success cells', () => {
    const data = personalPanelData(
      {},
      [{ session: session('s0', 0, null), trials: [makeTrial(1)] }],
      'left',
    );
    expect(data.arm).toBe('right');
    expect(data.unmapped).toBe(1);
    expect(data.overWeeks.every((s) => s.trials === 0 && s.successRate === null)).toBe(true);
    expect(JSON.stringify(data)).not.toMatch(/NaN/);
  });
});
