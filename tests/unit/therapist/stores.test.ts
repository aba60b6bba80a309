import { describe, expect, it, vi } from 'vitest';
import { createAuthStore } from '../../../client/therapist/state/auth-store';
import { headsetStatusText } from '../../../client/therapist/state/connection-store';
import { createLiveStore } from '../../../client/therapist/state/live-store';
import { createResource } from '../../../client/therapist/state/resource';
import { planProblems } from '../../../client/therapist/patients/plan-form';
import { DEFAULT_PLAN, planInForce, readStoredPlan } from '../../../shared/clinical/plan';
import type { TrialFlags } from '../../../shared/protocol/flags';
import { makeLive, makeTrial, SESSION_ID } from './fixtures';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
    items,
  };
}

const LOGIN = {
  token: 'tok',
  expiresAt: '2999-01-01T00:00:00.000Z',
  therapist: { id: 't1', username: 'ann' },
};

describe('auth store', () => {
  it('signs in, keeps the sign-in for the tab, and signs out with a reason', async () => {
    const storage = memoryStorage();
    const logout = vi.fn(async () => ({}));
    const auth = createAuthStore({ login: async () => LOGIN, logout, storage });
    await auth.getState().signIn({ username: 'ann', password: 'pw' });
    expect(auth.getState()).toMatchObject({ token: 'tok', username: 'ann', therapistId: 't1' });
    expect(createAuthStore({ login: async () => LOGIN, logout, storage }).getState().token).toBe(
      'tok',
    );
    auth.getState().signOut('idle');
    expect(logout).toHaveBeenCalledTimes(1);
    expect(auth.getState()).toMatchObject({
      token: null,
      message: 'You were signed out after 15 minutes without activity.',
    });
    expect(storage.items.size).toBe(0);
  });

  it('shows the server message on a failed sign-in and does not call logout on expiry', async () => {
    const logout = vi.fn(async () => ({}));
    const auth = createAuthStore({
      login: async () => {
        throw new Error('Wrong username or password');
      },
      logout,
    });
    await auth.getState().signIn({ username: 'x', password: 'y' });
    expect(auth.getState()).toMatchObject({ token: null, message: 'Wrong username or password' });
    auth.setState({ token: 'old' });
    auth.getState().signOut('expired');
    expect(logout).not.toHaveBeenCalled();
  });

  it('ignores an expired stored sign-in', () => {
    const storage = memoryStorage();
    storage.setItem(
      'reach.therapist.auth',
      JSON.stringify({ token: 't', expiresAtMs: 1, username: 'a', therapistId: 'b' }),
    );
    const auth = createAuthStore({ login: async () => LOGIN, logout: async () => ({}), storage });
    expect(auth.getState().token).toBeNull();
  });
});

describe('live store', () => {
  it('keeps this session’s trials once each and starts over on a new session', () => {
    const live = createLiveStore();
    live.getState().startWatching('p1', 0);
    live.getState().watchAnswered(makeLive());
    live.getState().trialArrived(makeTrial(1), 5);
    live.getState().trialArrived(makeTrial(1), 5);
    live
      .getState()
      .trialArrived(makeTrial(2, { sessionId: '44444444-4444-4444-8444-444444444444' }), 9);
    expect(live.getState().trials.map((t) => t.trialNumber)).toEqual([1]);
    expect(live.getState().lastTrialReceivedAt).toBe(5);
    live
      .getState()
      .sessionChanged({ ...makeLive(), sessionId: '44444444-4444-4444-8444-444444444444' });
    expect(live.getState().trials).toEqual([]);
    live.getState().sessionChanged({ ...makeLive(), patientId: 'other' });
    expect(live.getState().live?.patientId).toBe('p1');
    expect(live.getState().live?.sessionId).not.toBe(SESSION_ID);
  });

  it('keeps each trial’s flags and the session’s latest abnormal alert and fatigue report', () => {
    const live = createLiveStore();
    live.getState().startWatching('p1', 0);
    live.getState().watchAnswered(makeLive());
    const flagged = {
      state: 'checked' as const,
      comparable: 20,
      flags: [],
      text: 'within this patient’s usual range',
    };
    live.getState().trialArrived(makeTrial(1), 5, {
      ...flagged,
      alert: { trials: 1, text: 'first' },
    });
    live.getState().trialArrived(makeTrial(2), 6, { ...flagged, fatigue: 'tired' });
    live.getState().trialArrived(makeTrial(3), 7);
    const state = live.getState();
    expect(Object.keys(state.trialFlags)).toHaveLength(2);
    expect(state.trialFlags[makeTrial(2).id]?.fatigue).toBe('tired');
    expect(state.personalAlerts).toEqual({
      abnormal: { trials: 1, text: 'first', trialId: makeTrial(1).id },
      fatigue: 'tired',
    });
    live
      .getState()
      .sessionChanged({ ...makeLive(), sessionId: '44444444-4444-4444-8444-444444444444' });
    expect(live.getState().personalAlerts).toEqual({ abnormal: null, fatigue: null });
    expect(live.getState().trialFlags).toEqual({});
  });

  it('keeps one rating per set of this session, in set order, the first one standing', () => {
    const live = createLiveStore();
    live.getState().startWatching('p1', 0);
    live.getState().watchAnswered(makeLive());
    const rating = (setIndex: number, pain: number, sessionId = SESSION_ID) => ({
      sessionId,
      setIndex,
      arm: 'right' as const,
      effort: 3,
      pain,
      skipped: false,
      painPauseAt: 5,
      ratedAt: '2026-01-01T10:05:00.000Z',
      sessionStartedAt: '2026-01-01T10:00:00.000Z',
    });
    live.getState().ratingsArrived([rating(1, 2)]);
    // Fetched after a reconnect: set 0 is new, set 1 already here, another session's is ignored.
    live
      .getState()
      .ratingsArrived([
        rating(0, 1),
        rating(1, 9),
        rating(2, 4, '44444444-4444-4444-8444-444444444444'),
      ]);
    expect(live.getState().ratings.map((r) => [r.setIndex, r.pain])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    live
      .getState()
      .sessionChanged({ ...makeLive(), sessionId: '44444444-4444-4444-8444-444444444444' });
    expect(live.getState().ratings).toEqual([]);
  });

  it('keeps an ended session ended when a state relayed before its end arrives after it', () => {
    const live = createLiveStore();
    live.getState().startWatching('p1', 0);
    live.getState().watchAnswered(makeLive());
    const endedAt = '2026-01-01T10:05:00.000Z';
    live.getState().sessionChanged({ ...makeLive(), endedAt, endReason: 'therapist' });
    live.getState().sessionChanged(makeLive({ status: 'ended' }));
    expect(live.getState().live).toMatchObject({
      endedAt,
      endReason: 'therapist',
      state: { status: 'ended' },
    });
  });

  it('adds the trials fetched after a reconnect once each, in trial order, this session only', () => {
    const live = createLiveStore();
    live.getState().startWatching('p1', 0);
    live.getState().watchAnswered(makeLive());
    live.getState().trialArrived(makeTrial(1), 5);
    live.getState().trialArrived(makeTrial(4), 6);
    const otherSession = makeTrial(9, { sessionId: '44444444-4444-4444-8444-444444444444' });
    live.getState().trialsFetched([makeTrial(1), makeTrial(2), makeTrial(3), otherSession]);
    expect(live.getState().trials.map((t) => t.trialNumber)).toEqual([1, 2, 3, 4]);
    live.getState().trialArrived(makeTrial(3), 7);
    live.getState().trialArrived(makeTrial(5), 8);
    expect(live.getState().trials.map((t) => t.trialNumber)).toEqual([1, 2, 3, 4, 5]);
  });

  it('draws the flags stored for the trials fetched after a reconnect, like live ones', () => {
    const live = createLiveStore();
    live.getState().startWatching('p1', 0);
    live.getState().watchAnswered(makeLive());
    const unusual: TrialFlags = {
      state: 'checked',
      comparable: 20,
      flags: [
        {
          measure: 'movementTime',
          value: 3,
          median: 0.9,
          low: 0.85,
          high: 0.95,
          modifiedZ: 47.2,
          text: 'movement time 3.00 s',
        },
      ],
      text: 'movement time 3.00 s',
      fatigue: 'Slower over the session',
    };
    const asLive: TrialFlags = { ...unusual, text: 'as it arrived live' };
    live.getState().trialArrived(makeTrial(1), 5, asLive);
    live.getState().trialsFetched(
      [makeTrial(1), makeTrial(2), makeTrial(3)],
      [
        { trialId: makeTrial(1).id, flags: unusual },
        { trialId: makeTrial(2).id, flags: unusual },
        // Not in the feed (another session's): ignored.
        { trialId: makeTrial(8).id, flags: unusual },
      ],
    );
    const { trialFlags, personalAlerts, trials } = live.getState();
    expect(trials.map((t) => t.trialNumber)).toEqual([1, 2, 3]);
    expect(trialFlags).toEqual({ [makeTrial(1).id]: asLive, [makeTrial(2).id]: unusual });
    expect(personalAlerts).toEqual({ abnormal: null, fatigue: 'Slower over the session' });
  });

  it('shows the session’s stored abnormal-trial alert after a reconnect, once, the later one standing', () => {
    const live = createLiveStore();
    live.getState().startWatching('p1', 0);
    live.getState().watchAnswered(makeLive());
    const stored = (n: number, text: string) => ({
      trialId: makeTrial(n).id,
      trials: 2,
      text,
      raisedAt: '2026-01-01T10:00:05.000Z',
    });
    const feed = [makeTrial(1), makeTrial(2), makeTrial(3)];
    // A reload: nothing held, the stored alert shows.
    live.getState().trialsFetched(feed, [], stored(2, 'stored at trial 2'));
    expect(live.getState().personalAlerts.abnormal).toEqual({
      trials: 2,
      text: 'stored at trial 2',
      trialId: makeTrial(2).id,
    });
    // The next reconnect fetches the same alert: nothing changes (no second one).
    const before = live.getState();
    live.getState().trialsFetched(feed, [], stored(2, 'stored at trial 2'));
    expect(live.getState()).toBe(before);
    // An alert that arrived live with a later trial stands against an older stored one...
    live.getState().trialArrived(makeTrial(4), 9, {
      state: 'checked',
      comparable: 20,
      flags: [],
      text: 'within this patient’s usual range',
      alert: { trials: 1, text: 'live at trial 4' },
    });
    live.getState().trialsFetched([...feed, makeTrial(4)], [], stored(2, 'stored at trial 2'));
    expect(live.getState().personalAlerts.abnormal?.text).toBe('live at trial 4');
    // ...and a later stored one (raised while this page was away) replaces it.
    live.getState().trialsFetched([...feed, makeTrial(4), makeTrial(5)], [], stored(5, 'at 5'));
    expect(live.getState().personalAlerts.abnormal).toEqual({
      trials: 2,
      text: 'at 5',
      trialId: makeTrial(5).id,
    });
    // One of another session is not this session's.
    live.getState().trialsFetched([], [], stored(9, 'elsewhere'));
    expect(live.getState().personalAlerts.abnormal?.text).toBe('at 5');
  });

  it('holds the world menu a headset shows until it closes or the session starts', () => {
    const live = createLiveStore();
    live.getState().startWatching('p1', 0);
    const menu = { secondsLeft: 20, fallback: 'orchard', chosen: null, chosenBy: null } as const;
    const shown = { patientId: 'p1', poseAlias: 'menuAAAA', menu };
    live.getState().watchAnswered(null, shown);
    expect(live.getState().worldMenu).toEqual(shown);
    // Another patient's, or another headset's closing menu: not this one.
    live.getState().worldMenuChanged({ ...shown, patientId: 'p2', menu: null });
    live.getState().worldMenuChanged({ ...shown, poseAlias: 'otherBBB', menu: null });
    expect(live.getState().worldMenu).toEqual(shown);
    const chosen = { ...shown, menu: { ...menu, chosen: 'reef', chosenBy: 'patient' } } as const;
    live.getState().worldMenuChanged(chosen);
    expect(live.getState().worldMenu).toEqual(chosen);
    live.getState().worldMenuChanged({ ...shown, menu: null });
    expect(live.getState().worldMenu).toBeNull();
    live.getState().worldMenuChanged(shown);
    live.getState().sessionChanged(makeLive());
    expect(live.getState().worldMenu).toBeNull();
  });

  it('starts the feed over when the watch answered after a reconnect names another session', () => {
    const live = createLiveStore();
    live.getState().startWatching('p1', 0);
    live.getState().watchAnswered(makeLive());
    live.getState().trialArrived(makeTrial(1), 5);
    live.getState().watchAnswered(makeLive());
    expect(live.getState().trials.map((t) => t.trialNumber)).toEqual([1]);
    live
      .getState()
      .watchAnswered({ ...makeLive(), sessionId: '44444444-4444-4444-8444-444444444444' });
    expect(live.getState().trials).toEqual([]);
  });
});

describe('headset status line', () => {
  it('claims nothing about the headset while the dashboard itself is disconnected', () => {
    expect(headsetStatusText('connected', makeLive())).toBe('connected');
    expect(headsetStatusText('connected', { deviceConnected: false })).toBe('disconnected');
    expect(headsetStatusText('connected', null)).toBe('no session');
    expect(headsetStatusText('disconnected', makeLive())).toBe(
      'unknown (dashboard not connected to the server)',
    );
    expect(headsetStatusText('connecting', makeLive())).toBe(
      'unknown (dashboard not connected to the server)',
    );
  });
});

describe('resource store', () => {
  it('goes loading -> ready, and keeps old data with the error on a failed reload', async () => {
    let fail = false;
    const resource = createResource(async () => {
      if (fail) throw new Error('offline');
      return 42;
    });
    expect(resource.getState().state.status).toBe('loading');
    await vi.waitFor(() => expect(resource.getState().state.status).toBe('ready'));
    fail = true;
    await resource.getState().reload();
    expect(resource.getState().state).toEqual({ status: 'error', data: 42, error: 'offline' });
  });
});

describe('plan form', () => {
  it('edits the stored plan when valid, the default for the affected arm otherwise', () => {
    expect(planInForce(null, 'right')).toEqual(DEFAULT_PLAN);
    expect(planInForce(readStoredPlan({ tasks: [] }), 'left')).toEqual({
      ...DEFAULT_PLAN,
      arm: 'left',
    });
    const custom = { ...structuredClone(DEFAULT_PLAN), maxMinutes: 12 };
    expect(planInForce(custom, 'left').maxMinutes).toBe(12);
  });

  it('reads a stored plan once: invalid or absent is none, an old single configuration serves both arms', () => {
    expect(readStoredPlan(null)).toBeNull();
    expect(readStoredPlan({ tasks: [] })).toBeNull();
    const { difficulty, ...rest } = structuredClone(DEFAULT_PLAN);
    const old = readStoredPlan({ ...rest, difficulty: difficulty.left });
    expect(old?.difficulty).toEqual({ left: difficulty.left, right: difficulty.left });
  });

  it('names each problem, including the clinical limits', () => {
    expect(planProblems(structuredClone(DEFAULT_PLAN))).toEqual([]);
    const plan = structuredClone(DEFAULT_PLAN);
    plan.difficulty.left.radius = { easy: 0.2, hard: 0.02 };
    plan.maxMinutes = 0;
    const problems = planProblems(plan);
    expect(problems).toContain('Left arm: Target radius (easy) must be between 1 and 15 cm');
    expect(problems.filter((p) => p.includes('radius'))).toHaveLength(1);
    expect(problems.some((p) => p.startsWith('maxMinutes:'))).toBe(true);
  });
});
