import { describe, expect, it } from 'vitest';
import {
  alertSettings,
  evaluateAlerts,
  type AlertInputs,
} from '../../../client/therapist/live/alerts';
import {
  initialControlState,
  reduceControl,
} from '../../../client/therapist/state/control-machine';
import { DEFAULT_DIFFICULTY, type ArmDifficulty } from '../../../shared/clinical/difficulty';
import { makeLive, makeTrial, SESSION_ID } from './fixtures';

const base = (overrides: Partial<AlertInputs> = {}): AlertInputs => ({
  live: makeLive(),
  trials: [],
  minLevel: 0,
  maxLevel: 100,
  lastPoseAtMs: 10_000,
  watchingSinceMs: 0,
  nowMs: 10_500,
  maxDurationSeconds: null,
  ...overrides,
});
const ids = (inputs: AlertInputs) => evaluateAlerts(inputs).map((a) => a.id);

describe('alert rules', () => {
  it('raises nothing for a healthy session or when nothing is live', () => {
    expect(evaluateAlerts(base({ trials: [makeTrial(1)] }))).toEqual([]);
    expect(evaluateAlerts(base({ live: null, lastPoseAtMs: null }))).toEqual([]);
  });

  it('flags 10 trials at minimum difficulty with the success rate, not 9', () => {
    const atMin = (n: number) =>
      makeTrial(n, { levelAfter: 0, outcome: n % 5 === 0 ? 'hit' : 'miss_not_reached' });
    const nine = Array.from({ length: 9 }, (_, i) => atMin(i + 1));
    expect(ids(base({ trials: nine }))).toEqual([]);
    const ten = [...nine, atMin(10)];
    const alerts = evaluateAlerts(base({ trials: ten }));
    expect(alerts).toEqual([
      {
        id: 'difficulty_at_min',
        severity: 'warning',
        message:
          'At minimum difficulty for 10 trials, success 20 %: the easiest settings are too hard, consider easier settings.',
      },
    ]);
  });

  it('at a range locked at one level with every trial a hit, says the range is too easy', () => {
    const trials = Array.from({ length: 10 }, (_, i) =>
      makeTrial(i + 1, { levelBefore: 10, levelAfter: 10, outcome: 'hit' }),
    );
    expect(evaluateAlerts(base({ trials, minLevel: 10, maxLevel: 10 }))).toEqual([
      {
        id: 'difficulty_at_min',
        severity: 'warning',
        message:
          'Difficulty locked at 10 for 10 trials, success 100 %: too easy, consider raising the level or widening the range.',
      },
    ]);
  });

  it('judges the bounds of the arm in play on that arm’s trials alone (a plan alternating arms)', () => {
    // The right arm (in play) at its minimum for its last 10 trials, between left trials at 50.
    const trials = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? makeTrial(i + 1, { arm: 'right', levelAfter: 0, outcome: 'miss_not_reached' })
        : makeTrial(i + 1, { arm: 'left', levelAfter: 50, outcome: 'hit' }),
    );
    expect(ids(base({ trials }))).toEqual(['difficulty_at_min']);
    // Left trials at the level of the right arm's minimum do not make up its 10.
    const mixed = Array.from({ length: 10 }, (_, i) =>
      makeTrial(i + 1, { arm: i < 6 ? 'left' : 'right', levelAfter: 0 }),
    );
    expect(ids(base({ trials: mixed }))).toEqual([]);
  });

  it('uses the configured maximum', () => {
    const trials = Array.from({ length: 10 }, (_, i) => makeTrial(i + 1, { levelAfter: 80 }));
    expect(ids(base({ trials, maxLevel: 80 }))).toEqual(['difficulty_at_max']);
    expect(ids(base({ trials, maxLevel: 100 }))).toEqual([]);
  });

  it('judges the bounds in force: from an older headset, the plan’s with the changes it applied', () => {
    const difficulty: ArmDifficulty = {
      right: { ...DEFAULT_DIFFICULTY, minLevel: 0, maxLevel: 100 },
      left: { ...DEFAULT_DIFFICULTY, minLevel: 0, maxLevel: 60 },
    };
    const plan = { arm: 'right' as const, difficulty };
    // The session's headset is an older one: its live state publishes no settings.
    const published = makeLive().state!.difficulty;
    expect(published).toBeUndefined();
    let control = reduceControl(initialControlState(), {
      type: 'sent',
      commandId: 'c1',
      command: { type: 'setDifficulty', arm: 'right', change: { maxLevel: 80 } },
      atMs: 1,
    });
    // Sent, not yet applied: the plan's maximum is still in force.
    expect(alertSettings(plan, 'right', published, control.entries).maxLevel).toBe(100);
    control = reduceControl(control, { type: 'applied', commandId: 'c1', atMs: 2 });
    const inForce = alertSettings(plan, 'right', published, control.entries);
    expect([inForce.minLevel, inForce.maxLevel]).toEqual([0, 80]);
    // Ten trials at the new maximum of 80: at the bound in force, not below the plan's 100.
    const trials = Array.from({ length: 10 }, (_, i) => makeTrial(i + 1, { levelAfter: 80 }));
    expect(ids(base({ trials, minLevel: inForce.minLevel, maxLevel: inForce.maxLevel }))).toEqual([
      'difficulty_at_max',
    ]);
    // What a headset publishes wins; before a scene names the arm in play, the plan's arm's.
    const publishedRight = { ...difficulty.right, maxLevel: 90 };
    expect(
      alertSettings(plan, 'right', { ...difficulty, right: publishedRight }, control.entries),
    ).toEqual(publishedRight);
    expect(alertSettings({ ...plan, arm: 'left' }, null, published, control.entries)).toEqual(
      difficulty.left,
    );
    expect(alertSettings({ ...plan, arm: 'alternate' }, null, published, control.entries)).toEqual(
      inForce,
    );
  });

  it('flags trunk compensation in 3 of the last 5 reaches', () => {
    const trials = [1, 2, 3, 4, 5].map((n) => makeTrial(n, { trunkCompensation: n % 2 === 1 }));
    expect(evaluateAlerts(base({ trials }))[0]!.message).toBe(
      'Trunk compensation in 3 of the last 5 reaches.',
    );
    trials[4] = makeTrial(5, { trunkCompensation: false });
    expect(ids(base({ trials }))).toEqual([]);
  });

  it('flags tracking loss from trial flags and from a running scene without input', () => {
    const flagged = makeTrial(1);
    flagged.metrics = { ...flagged.metrics, flags: ['tracking_loss'] };
    expect(ids(base({ trials: [flagged] }))).toEqual(['tracking_lost']);
    const alerts = evaluateAlerts(base({ live: makeLive({ inputMode: 'none' }) }));
    expect(alerts).toEqual([
      {
        id: 'tracking_lost',
        severity: 'critical',
        message: 'The headset tracks neither controllers nor hands.',
      },
    ]);
  });

  it('counts the hand and head glitch flags as tracking trouble too, in words', () => {
    const glitch = makeTrial(1);
    glitch.metrics = { ...glitch.metrics, flags: ['tracking_glitch'] };
    const head = makeTrial(2);
    head.metrics = { ...head.metrics, flags: ['head_glitch', 'tracking_loss'] };
    expect(evaluateAlerts(base({ trials: [glitch, head, makeTrial(3)] }))).toEqual([
      {
        id: 'tracking_lost',
        severity: 'warning',
        message:
          'Tracking trouble in 2 of the last 3 trials (tracking lost in 1, hand tracking jumped in 1, head tracking jumped in 1).',
      },
    ]);
  });

  it('shows the server’s abnormal-trial alert and fatigue report, nothing without them', () => {
    expect(ids(base({ personal: { abnormal: null, fatigue: null } }))).toEqual([]);
    expect(
      evaluateAlerts(
        base({
          personal: {
            abnormal: { trials: 2, text: '2 reaches unusual for this patient…', trialId: 't9' },
            fatigue: 'Signs of fatigue…',
          },
        }),
      ),
    ).toEqual([
      { id: 'fatigue', severity: 'warning', message: 'Signs of fatigue…' },
      { id: 'abnormal_trial', severity: 'warning', message: '2 reaches unusual for this patient…' },
    ]);
  });

  it('flags a stalled stream after 3 s, counted from watching when no frame came', () => {
    expect(ids(base({ lastPoseAtMs: 10_000, nowMs: 13_000 }))).toEqual([]);
    expect(evaluateAlerts(base({ lastPoseAtMs: 10_000, nowMs: 14_200 }))[0]).toEqual({
      id: 'stream_stalled',
      severity: 'critical',
      message: 'No movement data from the headset for 4 s.',
    });
    expect(ids(base({ lastPoseAtMs: null, watchingSinceMs: 0, nowMs: 3001 }))).toEqual([
      'stream_stalled',
    ]);
    expect(
      ids(base({ lastPoseAtMs: null, nowMs: 9000, live: makeLive({ status: 'ended' }) })),
    ).toEqual([]);
  });

  it('says the headset is offline instead of stalled', () => {
    const live = { ...makeLive(), deviceConnected: false };
    expect(ids(base({ live, nowMs: 60_000 }))).toEqual(['device_offline']);
  });

  it('raises nothing about the headset, its stream or the clock once the session has ended', () => {
    // Ended by the server (the therapist's end while the headset was away): its last state still
    // says running, with no tracking, near its maximum duration.
    const endedOnServer = {
      ...makeLive({ status: 'running', inputMode: 'none', elapsedSeconds: 890 }),
      deviceConnected: false,
      endedAt: '2026-01-01T10:15:00.000Z',
      endReason: 'therapist',
    };
    const painful = {
      sessionId: SESSION_ID,
      setIndex: 0,
      arm: 'right' as const,
      effort: 5,
      pain: 7,
      skipped: false,
      painPauseAt: 5,
      ratedAt: '2026-01-01T10:10:00.000Z',
      sessionStartedAt: '2026-01-01T10:00:00.000Z',
    };
    const over = base({
      live: endedOnServer,
      lastPoseAtMs: null,
      nowMs: 60_000,
      maxDurationSeconds: 900,
      ratings: [painful],
    });
    // What the patient said stays; nothing asks the therapist to act on a session that is over.
    expect(ids(over)).toEqual(['pain_reported']);
    // Ended by the headset, which then went away: the same.
    const endedByHeadset = { ...makeLive({ status: 'ended' }), deviceConnected: false };
    expect(ids(base({ live: endedByHeadset, lastPoseAtMs: null, nowMs: 60_000 }))).toEqual([]);
  });

  it('warns two minutes before the maximum duration', () => {
    expect(ids(base({ maxDurationSeconds: 900, live: makeLive({ elapsedSeconds: 779 }) }))).toEqual(
      [],
    );
    expect(
      evaluateAlerts(base({ maxDurationSeconds: 900, live: makeLive({ elapsedSeconds: 800 }) }))[0]!
        .message,
    ).toBe('Session time nearly up: 2 min left.');
    expect(
      evaluateAlerts(base({ maxDurationSeconds: 900, live: makeLive({ elapsedSeconds: 900 }) }))[0]!
        .message,
    ).toBe('The session has reached its maximum duration.');
  });

  it('orders critical alerts first', () => {
    const trials = [1, 2, 3].map((n) => makeTrial(n, { trunkCompensation: true }));
    expect(ids(base({ trials, lastPoseAtMs: 0, nowMs: 10_000 }))).toEqual([
      'stream_stalled',
      'trunk_compensation',
    ]);
  });

  describe('pain after a set', () => {
    const rating = (setIndex: number, pain: number | null, painPauseAt = 5) => ({
      sessionId: makeLive().sessionId,
      setIndex,
      arm: 'left' as const,
      effort: 4,
      pain,
      skipped: false,
      painPauseAt,
      ratedAt: '2026-01-01T10:05:00.000Z',
      sessionStartedAt: '2026-01-01T10:00:00.000Z',
    });

    it('raises nothing below the threshold the headset applied', () => {
      expect(ids(base({ ratings: [rating(0, 4), rating(1, null), rating(2, 6, 7)] }))).toEqual([]);
    });

    it('raises a critical alert at the threshold, first of all, saying the session is paused', () => {
      const live = makeLive({ status: 'paused', pausedBy: 'pain' });
      const alerts = evaluateAlerts(
        base({ live, ratings: [rating(0, 2), rating(1, 5)], lastPoseAtMs: 0, nowMs: 10_000 }),
      );
      expect(alerts.map((a) => a.id)).toEqual(['pain_reported', 'stream_stalled']);
      expect(alerts[0]).toEqual({
        id: 'pain_reported',
        severity: 'critical',
        message:
          'Pain 5/10 reported after set 2 (left arm): the session is paused. Talk to the patient before resuming.',
      });
    });

    it('keeps it after the session resumed, counting the sets at or above the threshold', () => {
      expect(
        evaluateAlerts(base({ ratings: [rating(0, 8), rating(1, 3), rating(2, 6)] }))[0]!.message,
      ).toBe('Pain 6/10 was reported after set 3 (left arm) (2 sets at or above 5).');
    });
  });
});
