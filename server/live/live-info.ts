import { createHmac } from 'node:crypto';
import { POSE_ALIAS_LENGTH, type LiveSessionInfo, type LiveState } from '../../shared/protocol';
import { rooms } from '../auth/principal';
import type { ReachContext, ReachIo } from '../context';
import type { LiveSession } from './live-registry';

/** How a session ended, for watchers; null while it runs. */
export interface SessionEnding {
  endedAt: string;
  endReason: string;
}

/**
 * Whether the headset playing this session is connected: a reloaded page that has not taken the
 * session up again, or another headset of the patient, does not count.
 */
export async function isDeviceConnected(io: ReachIo, sessionId: string): Promise<boolean> {
  const sockets = await io.in(rooms.session(sessionId)).fetchSockets();
  return sockets.length > 0;
}

/** The session's name on the pose stream (see `poseAliasSchema`): the same on every process. */
export const poseAliasOf = (secret: string, sessionId: string): string =>
  createHmac('sha256', secret)
    .update(`pose-alias:${sessionId}`)
    .digest('base64url')
    .slice(0, POSE_ALIAS_LENGTH);

export function toLiveInfo(
  secret: string,
  session: LiveSession,
  deviceConnected: boolean,
  ending: SessionEnding | null = null,
): LiveSessionInfo {
  return {
    patientId: session.patientId,
    sessionId: session.sessionId,
    poseAlias: poseAliasOf(secret, session.sessionId),
    mode: session.mode,
    startedAt: session.startedAt,
    deviceConnected,
    state: session.state,
    endedAt: ending?.endedAt ?? null,
    endReason: ending?.endReason ?? null,
  };
}

/**
 * The patient's running session: this process's memory first, else the database (the device may
 * be connected to another process of the clinic, or this one restarted).
 */
export async function currentLiveSession(
  ctx: ReachContext,
  patientId: string,
): Promise<LiveSession | null> {
  const inMemory = ctx.live.get(patientId);
  if (inMemory !== null) return inMemory;
  const row = await ctx.sessions.findOpen(patientId);
  if (row === undefined) return null;
  return {
    patientId,
    sessionId: row.id,
    mode: row.mode as LiveSession['mode'],
    startedAt: row.started_at,
    state: row.last_state_json === null ? null : (JSON.parse(row.last_state_json) as LiveState),
  };
}

export async function broadcastLiveSession(
  ctx: ReachContext,
  io: ReachIo,
  session: LiveSession,
  ending: SessionEnding | null = null,
): Promise<void> {
  const connected = await isDeviceConnected(io, session.sessionId);
  io.to(rooms.patientWatchers(session.patientId)).emit(
    'live:session',
    toLiveInfo(ctx.secret, session, connected, ending),
  );
}
