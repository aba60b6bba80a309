import {
  MAX_POSE_FRAME_BYTES,
  MAX_TRIALS_PER_SESSION,
  poseFrameFromBase64,
  poseFrameLength,
  POSE_CODEC_VERSION,
  type Arm,
  type Calibration,
  type LiveState,
  type SetRatingRecord,
  type Trial,
} from '../../shared/protocol';
import { painPauses } from '../../shared/clinical/ratings';
import { rooms } from '../auth/principal';
import type { ReachContext, ReachIo } from '../context';
import { calibrationOrNone } from '../patients/stored-calibration';
import { deviceQuotas } from './device-quotas';
import type { Dispatcher } from '../realtime/dispatch';
import { broadcastLiveSession, poseAliasOf } from '../live/live-info';
import { poseRouteOf } from '../live/pose-relay';
import { closeSession } from './close-session';
import { flagArrivingTrial } from './trial-flags';
import { updatePerformanceMap } from './performance-map';
import { forgetPatientSessionContexts, sessionResumedHere } from './session-context';
import { SocketError } from '../realtime/socket-error';
import type { ReachSocket } from '../realtime/types';

/** Scratch for checking frames: the check is synchronous, so one buffer serves every socket. */
const poseScratch = new Uint8Array(MAX_POSE_FRAME_BYTES);

function isWellFormedPoseFrame(text: string): boolean {
  const bytes = poseFrameFromBase64(text, poseScratch);
  return (
    bytes !== null &&
    bytes.byteLength >= 2 &&
    bytes[0] === POSE_CODEC_VERSION &&
    poseFrameLength(bytes[1]!) === bytes.byteLength
  );
}

/** The events a paired headset sends. It may only touch its own patient's sessions. */
export function registerDeviceHandlers(
  ctx: ReachContext,
  io: ReachIo,
  socket: ReachSocket,
  on: Dispatcher['on'],
): void {
  const principal = socket.data.principal;
  if (principal.role !== 'device') return;
  const { patientId, deviceId } = principal;
  const poseRelay = ctx.poseRelay;
  if (poseRelay === null) throw new Error('the pose relay starts with Socket.IO');
  const quotas = deviceQuotas(ctx);
  /** Sessions already checked to be this patient's, so state updates skip the lookup. */
  const ownSessions = new Set<string>();

  const requireOwnSession = async (sessionId: string) => {
    if (ownSessions.has(sessionId)) return;
    const session = await ctx.sessions.find(sessionId);
    if (session === undefined) throw new SocketError('not_found', 'start the session first');
    if (session.patient_id !== patientId) throw new SocketError('forbidden', 'not your session');
    ownSessions.add(sessionId);
  };

  /**
   * Where this socket's pose frames go and the name they are relayed under, worked out once, not
   * per frame: the played session's alias, or its world menu's before the session starts; '' when
   * neither (the frames are refused then).
   */
  const noPoseRoute = poseRouteOf(patientId, '');
  let poseRoute = noPoseRoute;
  /**
   * The world menu's name on the pose stream: derived like a session's, from this headset's id (a
   * menu has no session yet), so it never names a session and is the same on every process.
   */
  const worldMenuAlias = poseAliasOf(ctx.secret, `world-menu:${deviceId}`);
  const worldMenuRoute = poseRouteOf(patientId, worldMenuAlias);
  let showsWorldMenu = false;

  /** The world menu is gone (the session started, the headset left): its watchers hear it. */
  const closeWorldMenu = () => {
    if (!showsWorldMenu) return;
    showsWorldMenu = false;
    if (poseRoute === worldMenuRoute) poseRoute = noPoseRoute;
    ctx.live.closeWorldMenu(patientId, worldMenuAlias);
    io.to(rooms.patientWatchers(patientId)).emit('live:world-menu', {
      patientId,
      poseAlias: worldMenuAlias,
      menu: null,
    });
  };
  socket.on('disconnect', closeWorldMenu);

  /** This socket plays `sessionId` now: control commands for it come here and nowhere else. */
  const playSession = async (sessionId: string) => {
    closeWorldMenu();
    const previous = socket.data.sessionId;
    if (previous === sessionId) return;
    if (previous !== null) await socket.leave(rooms.session(previous));
    await socket.join(rooms.session(sessionId));
    socket.data.sessionId = sessionId;
    poseRoute = poseRouteOf(patientId, poseAliasOf(ctx.secret, sessionId));
  };

  const stopPlaying = async (sessionId: string) => {
    if (socket.data.sessionId !== sessionId) return;
    await socket.leave(rooms.session(sessionId));
    socket.data.sessionId = null;
    poseRoute = noPoseRoute;
  };

  on('world:menu', (menu) => {
    if (socket.data.sessionId !== null)
      throw new SocketError('conflict', 'this headset plays a session: its world is chosen');
    showsWorldMenu = true;
    poseRoute = worldMenuRoute;
    const shown = { patientId, poseAlias: worldMenuAlias, menu };
    ctx.live.showWorldMenu(shown);
    io.to(rooms.patientWatchers(patientId)).emit('live:world-menu', shown);
  });

  on('session:start', async ({ sessionId, mode, startedAt, patientId: recordedFor, world }) => {
    if (recordedFor !== undefined && recordedFor !== patientId)
      throw new SocketError('forbidden', 'this session was recorded for another patient');
    const patient = await ctx.patients.find(patientId);
    if (patient === undefined) throw new SocketError('not_found', 'the patient was erased');
    const known = await ctx.sessions.find(sessionId);
    const row = await ctx.sessions.start({
      id: sessionId,
      patient_id: patientId,
      device_id: deviceId,
      mode,
      started_at: new Date(startedAt).toISOString(),
      calibration_json: patient.calibration_json,
      world: world ?? null,
    });
    if (row.patient_id !== patientId) throw new SocketError('forbidden', 'not your session');
    ownSessions.add(sessionId);
    // Resumed here: a calibration saved through another process meanwhile is read afresh.
    await sessionResumedHere(ctx, sessionId, row.calibration_json);
    if (row.ended_at === null) {
      await playSession(sessionId);
      if (known === undefined) {
        // A device plays one session at a time: the ones it left open can never be resumed.
        for (const stale of await ctx.sessions.findOtherOpenOfDevice(
          { patientId, deviceId },
          sessionId,
        )) {
          await closeSession(ctx, io, {
            patientId,
            sessionId: stale.id,
            endedAt: await ctx.sessions.lastActivityAt(stale),
            reason: 'abandoned',
            actor: { kind: 'system', id: null },
          });
        }
      }
      const live = ctx.live.start({ patientId, sessionId, mode, startedAt: row.started_at });
      await broadcastLiveSession(ctx, io, live);
    }
    await ctx.audit.append({
      actorKind: 'device',
      actorId: deviceId,
      patientId,
      sessionId,
      // Sent again for a known session: the headset took it up after a reload or a reconnect.
      action: known === undefined ? 'session.start' : 'session.resume',
      newValue: { mode, startedAt: row.started_at },
    });
    // Never reopened: ended meanwhile (the therapist stopped it while the headset was away), the
    // headset is told so and shows the summary instead of playing on.
    if (row.ended_at !== null)
      return {
        sessionId,
        ended: { endedAt: row.ended_at, reason: row.end_reason },
      };
    return { sessionId };
  });

  on('session:end', async ({ sessionId, endedAt, reason }) => {
    await requireOwnSession(sessionId);
    await closeSession(ctx, io, {
      patientId,
      sessionId,
      endedAt: new Date(endedAt).toISOString(),
      reason,
      actor: { kind: 'device', id: deviceId },
    });
    await stopPlaying(sessionId);
    return { sessionId };
  });

  on('session:state', async (state: LiveState) => {
    await requireOwnSession(state.sessionId);
    // Saved only while the session is open: a state racing its own end must not revive it.
    if (!(await ctx.sessions.saveState(state.sessionId, JSON.stringify(state)))) {
      throw new SocketError('conflict', 'this session has ended');
    }
    await playSession(state.sessionId);
    let live = ctx.live.setState(patientId, state);
    if (live === null) {
      const session = await ctx.sessions.find(state.sessionId);
      if (session === undefined || session.ended_at !== null) {
        throw new SocketError('conflict', 'this session has ended');
      }
      live = Object.assign(
        ctx.live.start({
          patientId,
          sessionId: session.id,
          mode: session.mode as 'live' | 'home',
          startedAt: session.started_at,
        }),
        { state },
      );
    }
    await broadcastLiveSession(ctx, io, live);
  });

  on('pose:frame', (frame) => {
    if (!isWellFormedPoseFrame(frame))
      throw new SocketError('invalid_payload', 'malformed pose frame');
    if (poseRoute.alias === '')
      throw new SocketError(
        'conflict',
        'start a session (or show the world menu) before sending poses',
      );
    poseRelay.relay(poseRoute, frame);
  });

  on('trial:submit', async (trial: Trial) => {
    await requireOwnSession(trial.sessionId);
    const samples = trial.samples.t.length;
    if (!quotas.hasRoom(deviceId, samples))
      throw new SocketError(
        'rate_limited',
        "this headset's hourly storage quota is used up: retry later",
      );
    if ((await ctx.sessions.countTrials(trial.sessionId)) >= MAX_TRIALS_PER_SESSION) {
      const owner = await ctx.sessions.findTrialOwner(trial.id);
      if (owner?.patient_id === patientId) return { trialId: trial.id, duplicate: true };
      throw new SocketError(
        'quota_exceeded',
        `a session holds at most ${MAX_TRIALS_PER_SESSION} trials`,
      );
    }
    // Durable before the acknowledgement: the headset deletes its copy on it.
    const stored = await ctx.sessions.insertTrialOnce(patientId, trial);
    if (stored) quotas.spend(deviceId, samples);
    if (!stored) {
      const owner = await ctx.sessions.findTrialOwner(trial.id);
      if (owner?.patient_id !== patientId) throw new SocketError('conflict', 'trial id in use');
    }
    // The follow-up runs for a duplicate too: if it failed after the insert, the headset's retry
    // is what completes it. Both steps are idempotent (the level only moves forward in time, the
    // dashboard keeps one row per trial id).
    await ctx.patients.saveLevel(patientId, trial.arm, trial.levelAfter, isoTime(trial.endedAt));
    const { samples: _samples, ...result } = trial;
    // Before the dashboard hears of the trial, so the map it then fetches holds it. Derived data:
    // a failure must not hold the headset's outbox up (the next read of the map rebuilds it: the
    // plan at the next start, the dashboard's view).
    try {
      await updatePerformanceMap(ctx, patientId, result, stored);
    } catch (error) {
      ctx.log.warn('performance map not updated', { err: String(error), patientId });
    }
    const flags = await flagArrivingTrial(ctx, patientId, result, stored);
    io.to(rooms.patientWatchers(patientId)).emit('live:trial', { patientId, trial: result, flags });
    return { trialId: trial.id, duplicate: !stored };
  });

  on('rating:submit', async (rating: SetRatingRecord) => {
    // Accepted for an ended session too: the outbox may deliver a set's rating late, but always
    // before that session's end (items go in order), and what the patient said stays true.
    await requireOwnSession(rating.sessionId);
    // Durable before the acknowledgement: the headset deletes its copy on it.
    const stored = await ctx.ratings.insertOnce(patientId, rating);
    const standing = await ctx.ratings.find(rating.sessionId, rating.setIndex);
    if (standing === undefined) throw new SocketError('internal', 'the rating was not stored');
    // Sent for a duplicate too (the dashboard keeps one per set): a retry after a failure
    // between commit and broadcast still reaches the therapist.
    io.to(rooms.patientWatchers(patientId)).emit('live:rating', {
      patientId,
      rating: standing,
      pausesSession: painPauses(standing.pain, standing.painPauseAt),
    });
    return { sessionId: rating.sessionId, setIndex: rating.setIndex, duplicate: !stored };
  });

  on('calibration:save', async (measured: Calibration) => {
    const change = await ctx.patients.saveNewestCalibration(patientId, measured);
    if (change === null) throw new SocketError('not_found', 'the patient was erased');
    const { before, after } = change;
    // Arms the patient has a newer measurement of (another headset's, saved since): kept as
    // stored. Answered as a success all the same: the headset's outbox would retry an error
    // forever, or discard it as if nothing had been stored, and its next start fetches the newer.
    const sent = ARMS.filter((arm) => measured[arm] !== undefined);
    const olderThanStored = sent.filter((arm) => after[arm] !== measured[arm]);
    const sessionId = socket.data.sessionId;
    if (sessionId !== null) {
      // The session this headset plays was placed in what it measured, older or not: its record
      // (sectors of its trials, its reach workspace) follows the headset, its other arm stays.
      const session = await ctx.sessions.find(sessionId);
      const played = { ...calibrationOrNone(session?.calibration_json), ...measured };
      await ctx.sessions.saveOpenCalibration(sessionId, JSON.stringify(played));
    }
    // The open session's next trials are placed in the new calibration: sectors follow it.
    forgetPatientSessionContexts(ctx, patientId);
    const savedAt = new Date().toISOString();
    // Audited as a save when at least one arm was taken.
    if (olderThanStored.length < sent.length)
      await ctx.audit.append({
        actorKind: 'device',
        actorId: deviceId,
        patientId,
        sessionId,
        action: 'calibration.save',
        oldValue: before ?? {},
        newValue: after,
      });
    if (olderThanStored.length > 0) {
      ctx.log.info('calibration older than the stored one kept out', {
        patientId,
        deviceId,
        arms: olderThanStored,
      });
      await ctx.audit.append({
        actorKind: 'device',
        actorId: deviceId,
        patientId,
        sessionId,
        action: 'calibration.superseded',
        oldValue: armsOf(after, olderThanStored),
        newValue: armsOf(measured, olderThanStored),
      });
    }
    return { savedAt, olderThanStored };
  });
}

const ARMS = ['left', 'right'] as const;

/** `calibration` with only `arms`. */
function armsOf(calibration: Calibration, arms: readonly Arm[]): Calibration {
  const picked: Calibration = {};
  for (const arm of arms) if (calibration[arm] !== undefined) picked[arm] = calibration[arm];
  return picked;
}

const isoTime = (time: string) => new Date(time).toISOString();
