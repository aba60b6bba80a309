import { createElement, type ComponentType } from 'react';
import { planInForce } from '../../../shared/clinical';
import type { Arm, SetRatingRecord } from '../../../shared/protocol';
import type { LaunchMode } from '../entry/EntryScreen';
import {
  loadProfile,
  rememberSessionPlayed,
  saveCalibrationLocally,
  sessionDelivered,
  storedDeviceToken,
  type DeviceProfile,
} from '../net/device-api';
import type { PatientServices } from '../services';
import { decideResume, endedWhileAway } from '../../../shared/game/session-resume';
import { installEmulatorIfNeeded, isAutomation } from './emulator';
import { clearResumeSnapshot, readResumeSnapshot, saveResumeSnapshot } from './resume-store';
import { installTestHandle } from './test-handle';
import type { WorldName } from '../worlds/types';
import { EMPTY_PROGRESS_HISTORY } from '../../../shared/protocol/progress';
import { defaultChoice } from '../../../shared/game/world-choice';
import { create } from 'zustand';

function levelsFrom(
  difficulty: DeviceProfile['difficulty'] | undefined,
): Partial<Record<Arm, number>> {
  const levels: Partial<Record<Arm, number>> = {};
  if (difficulty?.left) levels.left = difficulty.left.level;
  if (difficulty?.right) levels.right = difficulty.right.level;
  return levels;
}

/**
 * Loads the game after the entry screen: the emulator first (it must replace navigator.xr before
 * the XR store exists), then three/rapier/XR, then the patient's profile and the session plumbing.
 */
export async function prepareGame(
  mode: LaunchMode,
  services: PatientServices,
): Promise<ComponentType> {
  const device = await installEmulatorIfNeeded();
  const [
    { createGameSession },
    { sessionPlanOf, rehearseSession },
    { GameApp },
    { createGameXRStore },
    { createGameOutput },
    { readGameOptions },
    live,
    { readWorldParams, resolveWorld, WORLD_THINGS },
    { showProgressAtEnd },
    { GROWTH },
    { createWorldMenuController },
    { readLastWorld, saveLastWorld },
  ] = await Promise.all([
    import('./game-session'),
    import('../../../shared/game/session'),
    import('./GameApp'),
    import('./xr-store'),
    import('./effects'),
    import('./options'),
    import('./live'),
    import('../worlds/registry'),
    import('./end-of-session'),
    import('../worlds/EndScene'),
    import('../worlds/menu/controller'),
    import('../worlds/menu/last-world'),
  ]);
  // Before anything is drawn: the engine's trial paths compiled here, not at the first reaches.
  rehearseSession();
  const { store, anchor, presets } = services;
  const xrStore = createGameXRStore();
  const options = readGameOptions();

  const token = mode === 'paired' ? storedDeviceToken() : null;
  const profile = token !== null ? await loadProfile(token) : null;
  const socket = mode === 'paired' ? services.connection.store.getState().socket : null;
  const outbox = mode === 'paired' && socket ? await services.outbox(socket) : null;
  outbox?.onLength((n) => store.setState({ outboxLength: n }));
  // A session whose end the server has stored is in the server's progress history from now on.
  outbox?.onDelivered((kind, payload) => {
    const sessionId = (payload as { sessionId?: unknown }).sessionId;
    if (kind === 'session:end' && typeof sessionId === 'string') sessionDelivered(sessionId);
  });

  const plan = profile ? planInForce(profile.plan, profile.patient.affectedArm) : null;
  // A session this headset left running (a reload) is taken up again, or ended as abandoned
  // before a new one starts: its records are queued ahead of anything the new session sends.
  const decision =
    profile !== null
      ? decideResume(readResumeSnapshot(), {
          nowMs: Date.now(),
          patientId: profile.patient.id,
          plan: sessionPlanOf(plan, options),
        })
      : ({ kind: 'none' } as const);
  if (decision.kind === 'abandon') {
    await outbox?.enqueue('session:end', {
      sessionId: decision.snapshot.sessionId,
      endedAt: decision.endedAt,
      reason: 'abandoned',
    });
  }
  // Practice on a paired headset ('none' without a profile) leaves the paired session's snapshot.
  if (decision.kind === 'abandon' || decision.kind === 'discard') clearResumeSnapshot();

  // The world only draws: set by the plan (or the page, to try one), or chosen by the patient in
  // the world menu before the session starts. The session records the one actually drawn: the
  // plain room from the moment the chosen one fails to load.
  const worldParams = readWorldParams(location.search, isAutomation());
  const wanted = resolveWorld(plan?.world ?? null, worldParams.world, isAutomation());
  const lastWorld = readLastWorld();
  // A session taken up after a reload was started in the world last played here: no menu again.
  const firstWorld: WorldName | null =
    wanted !== 'choice' ? wanted : decision.kind === 'resume' ? defaultChoice(lastWorld) : null;
  let worldDrawn: WorldName | null = firstWorld;
  const worldStore = create<{ world: WorldName | null }>(() => ({ world: firstWorld }));
  const sessionHeld = { current: firstWorld === null };

  /** The running session's start, announced again after every reconnect; null once it ended. */
  let started: { sessionId: string; mode: 'live' | 'home'; startedAt: string } | null = null;
  // The server refuses a session recorded for another patient than the device's.
  const recordedFor = profile === null ? {} : { patientId: profile.patient.id };
  const announceStart = () => {
    if (started === null) return;
    // Never null here: a world menu holds the session until the world is settled.
    void outbox?.enqueue('session:start', {
      ...started,
      ...recordedFor,
      world: worldDrawn ?? 'plain',
    });
  };

  const { ratings } = sessionPlanOf(plan, options);
  let sessionStartedAt: string | null = null;
  const output = createGameOutput(isAutomation(), anchor, () => xrStore.getState().session);
  const game = createGameSession({
    store,
    anchor,
    output,
    config: {
      mode,
      live: socket?.connected ?? false,
      resume: decision.kind === 'resume' ? decision.snapshot : null,
      // Each arm's settings and bounds come from the plan, each arm's level from the profile.
      plan,
      levels: levelsFrom(profile?.difficulty),
      posture: profile?.patient.posture ?? 'seated',
      calibration: profile?.calibration ?? null,
      // Where this patient needs practice, as the server last knew it: focus placement reads it.
      performanceMaps: profile?.performanceMaps ?? null,
      options,
      // Effort and pain after each set, and the pain that pauses, as the therapist planned them.
      ratings,
      colourNames: presets.getState().style.palette.names,
      things: WORLD_THINGS[firstWorld ?? 'plain'],
      seed: options.seed ?? Math.floor(Math.random() * 2 ** 31),
      newId: () => crypto.randomUUID(),
    },
    sink: {
      sessionStarted: (p) => {
        sessionStartedAt = p.startedAt;
        started = p;
        saveLastWorld(worldDrawn ?? 'plain');
        announceStart();
      },
      trialFinished: (t) => void outbox?.enqueue('trial:submit', t),
      sessionEnded: (p) => {
        started = null;
        // The end is journaled (synchronously) before the snapshot goes: a page torn down in
        // between still delivers it, rather than leave a session the server would later call
        // abandoned.
        void outbox?.enqueue('session:end', p);
        if (profile !== null) clearResumeSnapshot();
      },
      progressed: (snapshot) => {
        if (profile !== null) saveResumeSnapshot({ ...snapshot, patientId: profile.patient.id });
      },
      calibrationSaved: (c) => {
        saveCalibrationLocally(c);
        void outbox?.enqueue('calibration:save', c);
      },
      setRated: (r) => {
        const message: SetRatingRecord = {
          sessionId: game.sessionId,
          setIndex: r.setIndex,
          arm: r.arm,
          effort: r.effort,
          pain: r.pain,
          skipped: r.skipped,
          painPauseAt: ratings.painPauseAt,
          ratedAt: new Date(r.at).toISOString(),
        };
        void outbox?.enqueue('rating:submit', message);
      },
    },
  });
  // Records, progress and speech wait for the XR frame's end (game-session.ts): a page being hidden
  // or unloaded carries them out at once, so no trial or snapshot is lost with it.
  addEventListener('pagehide', () => game.settle());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') game.settle();
  });
  // The end scene: this session against the patient's history (practice: against none).
  showProgressAtEnd({
    store,
    history: profile?.progress ?? EMPTY_PROGRESS_HISTORY,
    startedAt: () => sessionStartedAt ?? new Date().toISOString(),
    // Settled before the session starts (a world menu holds it until then).
    thing: () => GROWTH[worldDrawn ?? 'plain'],
    say: (text) => output.say(text),
    remember: (played) => {
      if (profile !== null) rememberSessionPlayed(played);
    },
  });
  let liveConnection: { resend(): void } | null = null;
  if (socket && outbox) {
    let sessionKnown = false;
    const connection = live.connectLive(
      socket,
      game,
      () => sessionKnown,
      () => worldDrawn ?? undefined,
    );
    liveConnection = connection;
    outbox.onDelivered((kind, payload, answer) => {
      if (kind !== 'session:start') return;
      if ((payload as { sessionId?: string }).sessionId !== game.sessionId) return;
      // Stopped by the therapist while this headset was away: the summary, not more play. Its
      // trials still in the outbox are sent all the same (the server keeps them).
      if (endedWhileAway(game.sessionId, answer)) game.command({ type: 'end' });
      sessionKnown = true;
      connection.resend();
    });
    // A socket that comes back without a reload (a dropped network, a server restart) announces
    // the session again, behind what the outbox still holds: the server then routes control
    // commands to it again, and says so if the therapist ended the session meanwhile.
    socket.on('connect', () => {
      if (sessionKnown && game.store.getState().status !== 'ended') announceStart();
    });
  }

  const enterVR = async () => {
    output.unlock();
    const session = await xrStore.enterVR();
    if (session) {
      store.setState({ inVR: true });
      session.addEventListener('end', () => store.setState({ inVR: false }));
    }
  };
  const worldMenu =
    firstWorld !== null
      ? null
      : createWorldMenuController({
          lastPlayed: lastWorld,
          say: (text) => output.say(text),
          onChosen: (world) => {
            worldDrawn = world;
            worldStore.setState({ world });
            game.dispatch({ type: 'dress', things: WORLD_THINGS[world] });
          },
          onDone: () => {
            sessionHeld.current = false;
          },
        });
  if (socket && worldMenu) live.connectWorldMenu(socket, worldMenu.store);
  if (device !== null)
    installTestHandle(device, game, enterVR, () => ({
      world: worldStore.getState().world,
      menu: worldMenu?.store.getState() ?? null,
    }));

  const handEffector: XRHandJoint = options.handEffector === 'wrist' ? 'wrist' : 'index-finger-tip';
  return function Game() {
    return createElement(GameApp, {
      game,
      presets,
      xrStore,
      socket,
      handEffector,
      onEnter: () => void enterVR(),
      output,
      worldStore,
      worldMenu,
      sessionHeld,
      worldFault: worldParams.fault,
      onWorldFailed: () => {
        if (worldDrawn === 'plain') return;
        worldDrawn = 'plain';
        game.dispatch({ type: 'dress', things: WORLD_THINGS.plain });
        // The therapist's live view says so at once, not at the next change of the scene.
        liveConnection?.resend();
      },
    });
  };
}
