import { z } from 'zod';
import {
  armSchema,
  finite,
  postureSchema,
  taskSchema,
  vec3Schema,
  idSchema,
  isoTimeSchema,
  playedWorldSchema,
} from './primitives';
import { difficultyParamsSchema } from '../clinical/difficulty/params';
import { placementSettingSchema } from '../clinical/personal/placement-setting';
import { perArm } from '../clinical/difficulty/per-arm';
import { difficultyConfigSchema } from '../clinical/difficulty/config';
import { CHOICE_TIMEOUT_S, OFFERED_WORLDS } from '../game/world-choice';

export { difficultyParamsSchema };

/**
 * A patient's comfortable reachable workspace for one arm, measured by the calibration routine.
 * Distances are from `shoulder` (estimated from the head at calibration), in metres, in the
 * play space anchored at session start. Every target is placed inside it.
 */
export const workspaceSchema = z.object({
  arm: armSchema,
  posture: postureSchema,
  shoulder: vec3Schema,
  reach: z.object({
    forward: finite.min(0.1).max(1.5),
    outward: finite.min(0.1).max(1.5),
    up: finite.min(0.05).max(1.5),
    across: finite.min(0.05).max(1.5),
  }),
  measuredAt: isoTimeSchema,
});
export type Workspace = z.infer<typeof workspaceSchema>;

export const calibrationSchema = z.object({
  left: workspaceSchema.optional(),
  right: workspaceSchema.optional(),
});
export type Calibration = z.infer<typeof calibrationSchema>;

/**
 * A calibration as stored (parsed JSON): the calibration when the schema takes it, else null
 * (none, or stored under rules the schema now refuses). The server reads stored calibrations
 * with this alone.
 */
export function readStoredCalibration(stored: unknown): Calibration | null {
  if (stored === null || stored === undefined) return null;
  const parsed = calibrationSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

export const sessionStatusSchema = z.enum([
  'calibrating',
  'instructions',
  'running',
  'rest',
  /** The patient is asked to rate the set just finished (effort and pain). */
  'rating',
  'paused',
  'ended',
]);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

export const sceneTargetSchema = z.object({
  id: z.string().max(64),
  kind: z.enum(['target', 'object', 'goal']),
  position: vec3Schema,
  radius: finite.min(0).max(1),
});

/**
 * What the headset shows now, sent when it changes (not per frame) so a therapist who joins late
 * sees the scene at once. Poses travel separately in the compact pose stream.
 */
export const liveStateSchema = z.object({
  sessionId: z.uuid(),
  status: sessionStatusSchema,
  /** `pain`: the patient rated pain at or above the plan's threshold after a set. */
  pausedBy: z
    .enum(['patient', 'therapist', 'headset_removed', 'focus_lost', 'time_up', 'pain'])
    .nullable(),
  task: taskSchema,
  arm: armSchema,
  level: finite.min(0).max(100),
  params: difficultyParamsSchema,
  trialNumber: z.number().int().min(0).max(100_000),
  score: z.number().int().min(0).max(10_000_000),
  streak: z.number().int().min(0).max(100_000),
  targets: z.array(sceneTargetSchema).max(16),
  restSecondsLeft: finite.min(0).max(3600).nullable(),
  elapsedSeconds: finite.min(0).max(24 * 3600),
  inputMode: z.enum(['controllers', 'hands', 'none']),
  workspace: workspaceSchema.nullable(),
  instruction: z.string().max(300),
  /** While `status` is `rating`: the set being rated (0-based over the session) and its arm. */
  rating: z
    .object({ setIndex: z.number().int().min(0).max(399), arm: armSchema })
    .nullable()
    .optional(),
  /** The world drawn now: 'plain' once the session's world failed to load. Absent from older headsets. */
  world: playedWorldSchema.optional(),
  /**
   * Where targets go now (both arms): the plan's placement, or the therapist's live `setPlacement`
   * once applied. Absent from older headsets.
   */
  placement: placementSettingSchema.optional(),
  /**
   * Each arm's difficulty settings in force (bounds, ranges): the plan's with this session's live
   * `setDifficulty` changes. Absent from older headsets.
   */
  difficulty: perArm(difficultyConfigSchema).optional(),
});
export type LiveState = z.infer<typeof liveStateSchema>;

/**
 * A live session's short name on the pose stream: `live:pose` frames carry it instead of the
 * 36-character session id. The server derives it from the session id with its secret, so every
 * process of a clinic gives the same alias and a headset cannot choose one that names another
 * session.
 */
export const POSE_ALIAS_LENGTH = 8;
export const poseAliasSchema = z
  .string()
  .length(POSE_ALIAS_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/, 'pose alias must be base64url');

export const liveSessionInfoSchema = z.object({
  patientId: idSchema,
  sessionId: z.uuid(),
  /** How this session's `live:pose` frames name it. */
  poseAlias: poseAliasSchema,
  mode: z.enum(['live', 'home']),
  startedAt: isoTimeSchema,
  deviceConnected: z.boolean(),
  state: liveStateSchema.nullable(),
  /** Set once the session ended; absent or null while it runs. */
  endedAt: isoTimeSchema.nullable().optional(),
  /** Why it ended (a `SessionEndReason`), with `endedAt`. */
  endReason: z.string().max(40).nullable().optional(),
});
export type LiveSessionInfo = z.infer<typeof liveSessionInfoSchema>;

/**
 * The headset's world menu ("patient's choice" in the plan) while the patient chooses, before the
 * session starts (shared/game/world-choice.ts): sent when it changes (about once a second, as the
 * countdown shows), never per frame.
 */
export const worldMenuStateSchema = z.object({
  /** Whole seconds before `fallback` starts if nobody chooses. */
  secondsLeft: z.number().int().min(0).max(CHOICE_TIMEOUT_S),
  /** What starts without a choice: the world last played on this headset, or the orchard. */
  fallback: z.enum(OFFERED_WORLDS),
  /** Settled: the session starts in it a few seconds later. */
  chosen: z.enum(OFFERED_WORLDS).nullable(),
  chosenBy: z.enum(['patient', 'timeout']).nullable(),
});
export type WorldMenuState = z.infer<typeof worldMenuStateSchema>;

/**
 * To the patient's watchers: a headset of theirs shows the world menu (`menu`), or no longer does
 * (`menu` null: the session started, or the headset went away). Its pose frames come meanwhile
 * as `live:pose` under `poseAlias`.
 */
export const liveWorldMenuSchema = z.object({
  patientId: idSchema,
  poseAlias: poseAliasSchema,
  menu: worldMenuStateSchema.nullable(),
});
export type LiveWorldMenu = z.infer<typeof liveWorldMenuSchema>;
