import {
  DifficultyConfigError,
  planInForce,
  readStoredPlan,
  withDifficultyChange,
  type SessionPlan,
} from '../../shared/clinical';
import {
  CONTROL_ACK_TIMEOUT_MS,
  serverToClient,
  type ControlCommand,
  type LiveState,
} from '../../shared/protocol';
import { rooms } from '../auth/principal';
import type { ReachContext, ReachIo } from '../context';
import type { Dispatcher } from '../realtime/dispatch';
import { currentLiveSession, isDeviceConnected, toLiveInfo } from './live-info';
import { SocketError } from '../realtime/socket-error';
import { closeSession } from '../sessions/close-session';
import type { ReachSocket } from '../realtime/types';

const controlAckSchema = serverToClient['control:apply'].ack;

/** What a command changes, as it was before: the audit log's "old value". */
function previousValue(command: ControlCommand, state: LiveState | null): unknown {
  if (state === null) return null;
  switch (command.type) {
    case 'pause':
    case 'resume':
    case 'end':
      return { status: state.status };
    case 'setTask':
      return { task: state.task };
    case 'setArm':
      return { arm: state.arm };
    case 'setDifficulty':
      return { level: state.level, params: state.params };
    // Absent from the live state of headsets older than the placement in it.
    case 'setPlacement':
      return state.placement === undefined ? null : { placement: state.placement };
    case 'recenter':
      return null;
  }
}

type SetDifficulty = Extract<ControlCommand, { type: 'setDifficulty' }>;

/** The plan with the change made to its arm; a change that breaks the arm's settings is refused. */
function planWithChange(plan: SessionPlan, command: SetDifficulty): SessionPlan {
  try {
    return {
      ...plan,
      difficulty: withDifficultyChange(plan.difficulty, command.arm, command.change),
    };
  } catch (e) {
    if (e instanceof DifficultyConfigError) throw new SocketError('out_of_bounds', e.message);
    throw e;
  }
}

/** The events of the dashboard. A therapist sees and controls only their own patients. */
export function registerTherapistHandlers(
  ctx: ReachContext,
  io: ReachIo,
  socket: ReachSocket,
  on: Dispatcher['on'],
): void {
  const principal = socket.data.principal;
  if (principal.role !== 'therapist') return;
  const { therapistId } = principal;

  const requireOwnPatient = async (patientId: string) => {
    const row = await ctx.patients.find(patientId);
    if (row === undefined || row.therapist_id !== therapistId) {
      throw new SocketError('forbidden', 'not your patient');
    }
    return row;
  };

  on('patient:watch', async ({ patientId }) => {
    await requireOwnPatient(patientId);
    await socket.join(rooms.patientWatchers(patientId));
    const live = await currentLiveSession(ctx, patientId);
    // Only this process's: a headset connected to another one sends its menu again within a second.
    const worldMenu = ctx.live.worldMenu(patientId);
    const choosing = worldMenu === null ? {} : { worldMenu };
    if (live === null) return { live: null, ...choosing };
    return {
      live: toLiveInfo(ctx.secret, live, await isDeviceConnected(io, live.sessionId)),
      ...choosing,
    };
  });

  on('patient:unwatch', async ({ patientId }) => {
    await socket.leave(rooms.patientWatchers(patientId));
    return {};
  });

  on('control:send', async ({ sessionId, commandId, command }) => {
    const session = await ctx.sessions.find(sessionId);
    if (session === undefined) throw new SocketError('forbidden', 'not your session');
    const patient = await requireOwnPatient(session.patient_id);
    if (session.ended_at !== null) throw new SocketError('conflict', 'this session has ended');
    const live = await currentLiveSession(ctx, patient.id);
    const state = live?.sessionId === sessionId ? live.state : null;
    const affectedArm = patient.affected_arm as 'left' | 'right';
    // Checked against the arm's stored settings too, not only on its own (minLevel above the
    // plan's maxLevel), before the headset sees it.
    if (command.type === 'setDifficulty')
      planWithChange(
        planInForce(readStoredPlan(JSON.parse(patient.plan_json ?? 'null')), affectedArm),
        command,
      );

    // Only the headset playing this session gets it: another headset of the patient must not end
    // or change its own session on a command meant for this one.
    const responses = await io
      .to(rooms.session(sessionId))
      .timeout(CONTROL_ACK_TIMEOUT_MS)
      .emitWithAck('control:apply', { sessionId, commandId, command })
      .catch(() => null);
    // A headset that is gone (battery, Wi-Fi) must not keep its session open forever: the server
    // ends it on the therapist's word, and the headset learns it at its next `session:start`.
    if (command.type === 'end' && (responses === null || responses.length === 0)) {
      const endedAt = new Date().toISOString();
      // False when the headset's own end got in first (during the wait): that end stands.
      const closedHere = await closeSession(ctx, io, {
        patientId: patient.id,
        sessionId,
        endedAt,
        reason: 'therapist',
        actor: { kind: 'therapist', id: therapistId },
      });
      await ctx.audit.append({
        actorKind: 'therapist',
        actorId: therapistId,
        patientId: patient.id,
        sessionId,
        action: 'control.end',
        oldValue: previousValue(command, state),
        newValue: { commandId, command, applied: false, endedByServer: closedHere },
      });
      if (!closedHere) return { applied: true as const, appliedAt: endedAt };
      return { applied: true as const, appliedAt: endedAt, ended: 'server' as const };
    }
    if (responses === null) throw new SocketError('timeout', 'the headset did not confirm in time');
    if (responses.length === 0)
      throw new SocketError('device_offline', 'the headset of this session is not connected');
    const answer = controlAckSchema.safeParse(responses[0]);
    const appliedAt = new Date().toISOString();
    const applied = answer.success && answer.data.applied;
    await ctx.audit.append({
      actorKind: 'therapist',
      actorId: therapistId,
      patientId: patient.id,
      sessionId,
      action: `control.${command.type}`,
      oldValue: previousValue(command, state),
      newValue: { commandId, command, applied },
    });
    if (!answer.success) throw new SocketError('internal', 'the headset answered nonsense');
    if (!answer.data.applied) {
      throw new SocketError('conflict', answer.data.error ?? 'the headset could not apply it');
    }
    if (command.type === 'setDifficulty' && command.keep === true) {
      // Read again now, after the wait for the headset, and written in one transaction: the plan
      // may have changed meanwhile, and the levels (stored apart) are not touched at all.
      const kept = await ctx.patients
        .changePlan(patient.id, (stored) =>
          planWithChange(planInForce(readStoredPlan(stored), affectedArm), command),
        )
        .catch((e: unknown) => {
          // The plan changed while the headset applied it (e.g. a narrower range saved meanwhile).
          if (!(e instanceof SocketError)) throw e;
          throw new SocketError('conflict', `applied for this session but not kept: ${e.message}`);
        });
      const settings = (plan: unknown) =>
        planInForce(readStoredPlan(plan), affectedArm).difficulty[command.arm];
      await ctx.audit.append({
        actorKind: 'therapist',
        actorId: therapistId,
        patientId: patient.id,
        sessionId,
        action: 'plan.difficulty_kept',
        oldValue: { arm: command.arm, difficulty: settings(kept?.before) },
        newValue: { arm: command.arm, difficulty: settings(kept?.after), commandId },
      });
    }
    return { applied: true as const, appliedAt };
  });
}
