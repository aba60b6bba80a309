import { createElement, type ComponentType } from 'react';
import { planInForce } from '../../../shared/clinical';
import type { Arm } from '../../../shared/protocol';
import type { LaunchMode } from '../entry/EntryScreen';
import { usePresets } from '../entry/presets';
import { useConnection } from '../net/connection';
import {
  loadProfile,
  saveCalibrationLocally,
  storedDeviceToken,
  type DeviceProfile,
} from '../net/device-api';
import { decideResume } from '../../../shared/game/session-resume';
import { installEmulatorIfNeeded, isAutomation } from './emulator';
import { clearResumeSnapshot, readResumeSnapshot, saveResumeSnapshot } from './resume-store';
import { installTestHandle } from './test-handle';

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
export async function prepareGame(mode: LaunchMode): Promise<ComponentType> {
  const device = await installEmulatorIfNeeded();
  const [
    { GameEngine, sessionPlanOf },
    { GameApp },
    { xrStore },
    { createEffects },
    { readGameOptions },
    live,
  ] = await Promise.all([
    import('./engine'),
    import('./GameApp'),
    import('./xr-store'),
    import('./effects'),
    import('./options'),
    import('./live'),
  ]);
  const { frameInput } = await import('./frame-input');
  const { useGame } = await import('./store');
  const options = readGameOptions();

  const token = mode === 'paired' ? storedDeviceToken() : null;
  const profile = token !== null ? await loadProfile(token) : null;
  const socket = mode === 'paired' ? useConnection.getState().socket : null;
  const outbox =
    mode === 'paired' && socket
      ? (await import('../outbox/shared-outbox')).sharedOutbox(socket)
      : null;
  outbox?.onLength((n) => useGame.setState({ outboxLength: n }));

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

  const effects = createEffects(isAutomation());
  const engine = new GameEngine({
    mode,
    live: socket?.connected ?? false,
    resume: decision.kind === 'resume' ? decision.snapshot : null,
    // Each arm's settings and bounds come from the plan, each arm's level from the profile.
    plan,
    levels: levelsFrom(profile?.difficulty),
    posture: profile?.patient.posture ?? 'seated',
    calibration: profile?.calibration ?? null,
    options,
    effects,
    input: frameInput,
    colourNames: () => usePresets.getState().style.palette.names,
    sink: {
      // The server refuses a session recorded for another patient than the device's.
      sessionStarted: (p) =>
        void outbox?.enqueue(
          'session:start',
          profile === null ? p : { ...p, patientId: profile.patient.id },
        ),
      trialFinished: (t) => void outbox?.enqueue('trial:submit', t),
      sessionEnded: (p) => {
        if (profile !== null) clearResumeSnapshot();
        void outbox?.enqueue('session:end', p);
      },
      progressed: (snapshot) => {
        if (profile !== null) saveResumeSnapshot({ ...snapshot, patientId: profile.patient.id });
      },
      calibrationSaved: (c) => {
        saveCalibrationLocally(c);
        void outbox?.enqueue('calibration:save', c);
      },
    },
  });
  if (socket && outbox) {
    let sessionKnown = false;
    const connection = live.connectLive(socket, engine, () => sessionKnown);
    outbox.onDelivered((kind, payload) => {
      if (kind !== 'session:start') return;
      if ((payload as { sessionId?: string }).sessionId !== engine.sessionId) return;
      sessionKnown = true;
      connection.resend();
    });
  }

  const enterVR = async () => {
    effects.unlock();
    const session = await xrStore.enterVR();
    if (session) {
      useGame.setState({ inVR: true });
      session.addEventListener('end', () => useGame.setState({ inVR: false }));
    }
  };
  if (device !== null) installTestHandle(device, enterVR);

  const handEffector: XRHandJoint = options.handEffector === 'wrist' ? 'wrist' : 'index-finger-tip';
  return function Game() {
    return createElement(GameApp, {
      engine,
      socket,
      handEffector,
      onEnter: () => void enterVR(),
    });
  };
}
