import { z } from 'zod';
import type { AckResult } from './errors';
import {
  calibrationSchema,
  liveSessionInfoSchema,
  liveStateSchema,
  liveWorldMenuSchema,
  poseAliasSchema,
  worldMenuStateSchema,
} from './live';
import { controlCommandSchema } from './control';
import { armSchema, idSchema, isoTimeSchema, playedWorldSchema, uuidSchema } from './primitives';
import { trialSchema } from './trial';
import { trialFlagsSchema } from './flags';
import { setRatingSchema, storedSetRatingSchema } from './rating';
import { BASE64_PATTERN, MAX_POSE_FRAME_BASE64_LENGTH } from './pose-codec';

/**
 * The whole Socket.IO contract. Each event names its payload schema, its answer schema (events
 * without `ack` are fire-and-forget), who may send it, and whether it may be dropped under load.
 * The TypeScript event maps below are derived from this table, so both ends compile against it.
 */

/** A pose frame (pose-codec.ts) as base64 text, bounded before anything decodes it. */
export const poseFrameTextSchema = z
  .string()
  .max(MAX_POSE_FRAME_BASE64_LENGTH)
  .regex(BASE64_PATTERN, 'pose frame must be base64');

const sessionRef = z.object({ sessionId: uuidSchema });

/**
 * Why a session ended. `abandoned`: it can never be resumed (the headset reloaded too late or with
 * another plan, or the same device started a new session while it was open).
 */
export const sessionEndReasonSchema = z.enum([
  'plan_complete',
  'time_up',
  'patient',
  'therapist',
  'abandoned',
]);
export type SessionEndReason = z.infer<typeof sessionEndReasonSchema>;
const patientRef = z.object({ patientId: idSchema });

/**
 * The answer to `session:start`. `ended` is set when the session had already ended (e.g. the
 * therapist stopped it while the headset was away): it is not reopened, and the headset shows
 * the end of the session instead of playing on. `reason` as stored (a `SessionEndReason`).
 */
export const sessionStartAckSchema = z.object({
  sessionId: uuidSchema,
  ended: z.object({ endedAt: isoTimeSchema, reason: z.string().nullable() }).optional(),
});
export type SessionStartAck = z.infer<typeof sessionStartAckSchema>;

export type Role = 'therapist' | 'device';

interface EventSpec {
  payload: z.ZodType;
  ack?: z.ZodType;
  roles: readonly Role[];
}

export const clientToServer = {
  /**
   * Device: a session began on the headset, or the headset took it up again after a reload
   * (idempotent on the headset-made id). A new session ends the device's other open ones as
   * `abandoned`.
   */
  'session:start': {
    payload: z.object({
      sessionId: uuidSchema,
      mode: z.enum(['live', 'home']),
      startedAt: isoTimeSchema,
      /**
       * The patient the headset recorded the session for; when given, it must be the caller's
       * (a session recorded under an earlier pairing is refused, not filed under the new patient).
       */
      patientId: idSchema.optional(),
      /** The world the session started in; optional, so headsets from before worlds are served. */
      world: playedWorldSchema.optional(),
    }),
    ack: sessionStartAckSchema,
    roles: ['device'],
  },
  /** Device: the session ended (idempotent). */
  'session:end': {
    payload: z.object({
      sessionId: uuidSchema,
      endedAt: isoTimeSchema,
      reason: sessionEndReasonSchema,
    }),
    ack: z.object({ sessionId: uuidSchema }),
    roles: ['device'],
  },
  /** Device: the scene changed (status, task, targets...); relayed to watchers, kept for late joiners. */
  'session:state': {
    payload: liveStateSchema,
    roles: ['device'],
  },
  /**
   * Device: the world menu the patient chooses in, before the session starts (on change, about
   * once a second); relayed to watchers as `live:world-menu`. Its pose frames are relayed from then
   * until the session starts. Refused (`conflict`) while the socket plays a session.
   */
  'world:menu': {
    payload: worldMenuStateSchema,
    roles: ['device'],
  },
  /** Device: one live-view pose frame, volatile (dropping one under load is fine). */
  'pose:frame': {
    payload: poseFrameTextSchema,
    roles: ['device'],
  },
  /** Device: a finished trial from the outbox; answered only after it is committed. */
  'trial:submit': {
    payload: trialSchema,
    ack: z.object({ trialId: uuidSchema, duplicate: z.boolean() }),
    roles: ['device'],
  },
  /**
   * Device: the patient's effort and pain after a set, from the outbox; answered once committed.
   * The first answer for a set stands: a resent one answers `duplicate: true`.
   */
  'rating:submit': {
    payload: setRatingSchema,
    ack: z.object({ sessionId: uuidSchema, setIndex: z.number().int(), duplicate: z.boolean() }),
    roles: ['device'],
  },
  /**
   * Device: the patient's calibrated workspace, stored with the patient arm by arm, each arm's
   * newest measurement winning (`newestCalibration`, as on the headset), and into the session this
   * headset plays as measured. An arm older than the patient's stored one is answered in
   * `olderThanStored` (a success: the outbox drops it; the headset's next start fetches the newer).
   */
  'calibration:save': {
    payload: calibrationSchema,
    ack: z.object({ savedAt: isoTimeSchema, olderThanStored: z.array(armSchema) }),
    roles: ['device'],
  },
  /** Therapist: start receiving a patient's live session (and its current state at once). */
  'patient:watch': {
    payload: patientRef,
    ack: z.object({
      live: liveSessionInfoSchema.nullable(),
      /** A headset of the patient shows the world menu now; absent when none does. */
      worldMenu: liveWorldMenuSchema.optional(),
    }),
    roles: ['therapist'],
  },
  'patient:unwatch': {
    payload: patientRef,
    ack: z.object({}),
    roles: ['therapist'],
  },
  /** Therapist: change the running session; answered once the headset applied it or failed to. */
  'control:send': {
    payload: sessionRef.extend({ commandId: uuidSchema, command: controlCommandSchema }),
    ack: z.object({
      applied: z.literal(true),
      appliedAt: isoTimeSchema,
      /**
       * `server`: an `end` the headset did not confirm (not connected, or no answer in time): the
       * server ended the session itself, as `therapist`; the headset is told when it comes back.
       */
      ended: z.literal('server').optional(),
    }),
    roles: ['therapist'],
  },
} as const satisfies Record<string, EventSpec>;

export const serverToClient = {
  /** To watchers: a live session of a watched patient started, changed state or ended. */
  'live:session': { payload: liveSessionInfoSchema },
  /** To watchers: a headset of the patient shows the world menu, or stopped showing it. */
  'live:world-menu': { payload: liveWorldMenuSchema },
  /**
   * To watchers: relayed pose frame of a watched patient, `[poseAlias, frame]`: the session's
   * alias (its `LiveSessionInfo.poseAlias`) and the headset's base64 text unchanged. A tuple
   * with the short alias keeps every relayed frame ~50 bytes smaller than `{ sessionId, frame }`.
   */
  'live:pose': { payload: z.tuple([poseAliasSchema, poseFrameTextSchema]) },
  /**
   * To watchers: a trial was committed. `flags`: how it compares with the patient's own baseline,
   * with the session's fatigue report and rate-limited alert when this trial raised them (absent
   * for a resent trial that was not flagged, or when the check could not run).
   */
  'live:trial': {
    payload: z.object({
      patientId: idSchema,
      trial: trialSchema.omit({ samples: true }),
      flags: trialFlagsSchema.optional(),
    }),
  },
  /** To watchers: a set's rating was committed (`pausesSession`: its pain reached the threshold). */
  'live:rating': {
    payload: z.object({
      patientId: idSchema,
      rating: storedSetRatingSchema,
      pausesSession: z.boolean(),
    }),
  },
  /**
   * To the patient's therapist (every signed-in tab): a pairing code was used and paired the
   * headset `deviceId`, so the dashboard shows the code as used instead of counting it down.
   */
  'pairing:used': {
    payload: z.object({ patientId: idSchema, deviceId: idSchema, pairedAt: isoTimeSchema }),
  },
  /**
   * To the patient's therapist (every signed-in tab): the pending pairing code died because wrong
   * codes were tried against it from anywhere, so the dashboard asks for a new one.
   */
  'pairing:voided': {
    payload: z.object({ patientId: idSchema, voidedAt: isoTimeSchema }),
  },
  /**
   * To the headset playing `sessionId` only: apply a therapist's command and answer whether it was
   * applied. A headset playing another session (or none) ignores it and does not answer.
   */
  'control:apply': {
    payload: z.object({
      sessionId: uuidSchema,
      commandId: uuidSchema,
      command: controlCommandSchema,
    }),
    ack: z.object({ applied: z.boolean(), error: z.string().max(300).optional() }),
  },
  /** An error that answers an event without an acknowledgement (a bad pose frame, a flood...). */
  'server:error': {
    payload: z.object({ code: z.string(), message: z.string(), event: z.string().optional() }),
  },
} as const satisfies Record<string, { payload: z.ZodType; ack?: z.ZodType }>;

export type ClientToServerName = keyof typeof clientToServer;
export type ServerToClientName = keyof typeof serverToClient;

type Spec = { payload: z.ZodType; ack?: z.ZodType };
type Handler<S extends Spec> = S extends { ack: z.ZodType }
  ? (payload: z.input<S['payload']>, ack: (result: AckResult<z.output<S['ack']>>) => void) => void
  : (payload: z.input<S['payload']>) => void;
type ServerHandler<S extends Spec> = S extends { ack: z.ZodType }
  ? (payload: z.input<S['payload']>, ack: (result: z.output<S['ack']>) => void) => void
  : (payload: z.input<S['payload']>) => void;

/** Socket.IO event maps: `Server<ClientToServerEvents, ServerToClientEvents>` on the server. */
export type ClientToServerEvents = {
  [K in ClientToServerName]: Handler<(typeof clientToServer)[K]>;
};
export type ServerToClientEvents = {
  [K in ServerToClientName]: ServerHandler<(typeof serverToClient)[K]>;
};

export type Payload<K extends ClientToServerName> = z.output<(typeof clientToServer)[K]['payload']>;
export type AckData<K extends ClientToServerName> = (typeof clientToServer)[K] extends {
  ack: z.ZodType;
}
  ? z.output<(typeof clientToServer)[K]['ack']>
  : never;
export type ServerPayload<K extends ServerToClientName> = z.output<
  (typeof serverToClient)[K]['payload']
>;

/** What the client puts in `io(url, { auth })`; checked by the server's handshake middleware. */
export const handshakeAuthSchema = z.object({
  protocolVersion: z.number().int(),
  token: z.string().min(1).max(2048),
});
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;
