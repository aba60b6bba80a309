import type { SessionEndReason } from '../../shared/protocol';
import type { ActorKind } from '../audit/repository';
import type { ReachContext, ReachIo } from '../context';
import { broadcastLiveSession } from '../live/live-info';
import { forgetSessionContext } from './session-context';

export interface SessionClosing {
  patientId: string;
  sessionId: string;
  endedAt: string;
  reason: SessionEndReason;
  /** Who ended it, for the audit log: the headset, the therapist, or the server on its own. */
  actor: { kind: ActorKind; id: string | null };
}

/**
 * Ends a session and tells the watchers. Once only: an ended session is left as it is (returns
 * false), so the headset's late `session:end` after a therapist's stop changes nothing.
 */
export async function closeSession(
  ctx: ReachContext,
  /** Null where no Socket.IO server runs (nobody to tell). */
  io: ReachIo | null,
  { patientId, sessionId, endedAt, reason, actor }: SessionClosing,
): Promise<boolean> {
  if (!(await ctx.sessions.end(sessionId, endedAt, reason))) return false;
  forgetSessionContext(ctx, sessionId);
  const live = ctx.live.get(patientId);
  if (live !== null && live.sessionId === sessionId) {
    ctx.live.end(patientId, sessionId);
    if (io !== null) await broadcastLiveSession(ctx, io, live, { endedAt, endReason: reason });
  }
  await ctx.audit.append({
    actorKind: actor.kind,
    actorId: actor.id,
    patientId,
    sessionId,
    action: 'session.end',
    newValue: { endedAt, reason },
  });
  return true;
}
