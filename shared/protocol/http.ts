import { z } from 'zod';
import { calibrationSchema } from './live';
import {
  armSchema,
  finite,
  idSchema,
  isoTimeSchema,
  playedWorldSchema,
  postureSchema,
  uuidSchema,
} from './primitives';
import { errorCodeSchema } from './errors';
import { scaleEntrySchema } from './scales';
import { trialSchema } from './trial';
import { sessionPlanSchema } from '../clinical/plan/schema';
import { mapSnapshotSchema } from '../clinical/personal/map-snapshot';
import { sessionSummarySchema } from '../clinical/summary';
import { storedSetRatingSchema } from './rating';
import { storedAbnormalAlertSchema, trialFlagsSchema } from './flags';
import { EMPTY_PROGRESS_HISTORY, progressHistorySchema } from './progress';

/**
 * Bodies and answers of the HTTP API (docs/architecture.md). The server validates every body with
 * these; clients may parse answers with them. Errors answer `{ error: { code, message } }`.
 */

export const httpErrorSchema = z.object({
  error: z.object({ code: errorCodeSchema, message: z.string() }),
});
export type HttpErrorBody = z.infer<typeof httpErrorSchema>;

// --- auth

export const loginRequestSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const therapistSchema = z.object({ id: idSchema, username: z.string() });

export const loginResponseSchema = z.object({
  token: z.string(),
  expiresAt: isoTimeSchema,
  therapist: therapistSchema,
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

// --- patients

/**
 * The patient's current level per arm (`updatedAt`: when the newest trial of that arm ended). The
 * settings and bounds are the plan's (per arm); an arm with no level yet starts at the plan's
 * `startLevel`.
 */
export const armLevelSchema = z.object({
  level: finite.min(0).max(100),
  updatedAt: isoTimeSchema,
});
export const difficultyStateSchema = z.object({
  left: armLevelSchema.optional(),
  right: armLevelSchema.optional(),
});
export type DifficultyState = z.infer<typeof difficultyStateSchema>;

export const patientCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only (a pseudonymous code, not a name)');

export const patientCreateSchema = z.object({
  code: patientCodeSchema,
  label: z.string().trim().min(1).max(80),
  affectedArm: armSchema,
  posture: postureSchema,
  notes: z.string().max(4000).default(''),
});
export type PatientCreate = z.input<typeof patientCreateSchema>;

export const patientPatchSchema = z
  .object({
    label: z.string().trim().min(1).max(80),
    affectedArm: armSchema,
    posture: postureSchema,
    notes: z.string().max(4000),
    plan: sessionPlanSchema.nullable(),
  })
  .partial()
  .strict();
export type PatientPatch = z.infer<typeof patientPatchSchema>;

export const patientSchema = z.object({
  id: idSchema,
  code: z.string(),
  label: z.string(),
  affectedArm: armSchema,
  posture: postureSchema,
  notes: z.string(),
  plan: sessionPlanSchema.nullable(),
  /** Each arm's stored workspace; empty when none is measured, or when the stored one is corrupt. */
  calibration: calibrationSchema,
  /**
   * The stored calibration is unreadable (a fault of the storage): `calibration` is then empty, and
   * the headset measures the patient again at the next session, which replaces it. Absent from an
   * older server: not corrupt.
   */
  calibrationCorrupt: z.boolean().default(false),
  difficulty: difficultyStateSchema,
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
});
export type PatientRecord = z.infer<typeof patientSchema>;

// --- sessions

export const sessionSummaryWireSchema = z.object({
  trials: z.number().int(),
  hits: z.number().int(),
  successRate: finite.nullable(),
  levelStart: finite.nullable(),
  levelEnd: finite.nullable(),
  /** Minutes spent in trials (sum of each trial's end minus start). */
  activeMinutes: finite.min(0),
  /**
   * Metres: mean forward/outward/up/across reach of the calibration the session was played with
   * (the trained arms); null when that is not known.
   */
  reachWorkspace: finite.nullable(),
});

/**
 * One arm's part of a session: the same summary as the session's, over that arm's trials only
 * (its level is on that arm's own scale and bounds), with the core's full summary in `clinical`.
 */
export const sessionArmSummaryWireSchema = sessionSummaryWireSchema.extend({
  clinical: sessionSummarySchema.optional(),
});
export type SessionArmSummary = z.infer<typeof sessionArmSummaryWireSchema>;

export const sessionRecordSchema = z.object({
  id: uuidSchema,
  patientId: idSchema,
  mode: z.enum(['live', 'home']),
  startedAt: isoTimeSchema,
  endedAt: isoTimeSchema.nullable(),
  endReason: z.string().nullable(),
  /**
   * The world the session started in; null when not known (recorded before worlds, or by an older
   * headset). Absent from servers before worlds.
   */
  world: playedWorldSchema.nullable().optional(),
  summary: sessionSummaryWireSchema,
  /** The clinical core's full summary (metric means and SDs...) when it is available. */
  clinical: sessionSummarySchema.optional(),
  /**
   * Each arm's own summary; null for an arm that did not play. The pooled `summary` above mixes
   * arms: read these for anything clinical. Absent from servers before per-arm summaries.
   */
  arms: z
    .object({
      left: sessionArmSummaryWireSchema.nullable(),
      right: sessionArmSummaryWireSchema.nullable(),
    })
    .optional(),
});
export type SessionRecord = z.infer<typeof sessionRecordSchema>;

export const patientListItemSchema = patientSchema.extend({
  lastSession: sessionRecordSchema.nullable(),
  sessionsThisWeek: z.number().int(),
  /** Oldest first: one point per recent session. */
  trend: z.array(
    z.object({
      sessionId: uuidSchema,
      startedAt: isoTimeSchema,
      successRate: finite.nullable(),
      levelEnd: finite.nullable(),
      /** Seconds: the median movement time of the session's trials. */
      movementTimeMedian: finite.nullable(),
    }),
  ),
});
export const patientListSchema = z.object({ patients: z.array(patientListItemSchema) });
export type PatientListItem = z.infer<typeof patientListItemSchema>;

export const sessionListSchema = z.object({ sessions: z.array(sessionRecordSchema) });

/** Every set-end rating of a patient, oldest session first, each session's in set order. */
export const ratingListSchema = z.object({ ratings: z.array(storedSetRatingSchema) });
export type RatingList = z.infer<typeof ratingListSchema>;

export const sessionDetailSchema = z.object({
  session: sessionRecordSchema,
  trials: z.array(trialSchema.omit({ samples: true })),
  /** The patient's set-end ratings of this session, in set order. */
  ratings: z.array(storedSetRatingSchema),
  /**
   * The session's trials found unusual for this patient (or with which its fatigue was found), as
   * `live:trial` carried them: a dashboard catching up after a reconnect draws them like live ones.
   * Trials within the usual range are not listed.
   */
  flags: z.array(z.object({ trialId: uuidSchema, flags: trialFlagsSchema })),
  /**
   * The session's latest abnormal-trial alert as `live:trial` carried it (null: none went out), so
   * the live view shows it again after a reconnect or a reload.
   */
  alert: storedAbnormalAlertSchema.nullable(),
});
export type SessionDetail = z.infer<typeof sessionDetailSchema>;

// --- pairing and devices

export const pairingCodeResponseSchema = z.object({
  code: z.string().regex(/^\d{6}$/),
  /** When the server issued it: names this code in `pairingStatusSchema`. */
  issuedAt: isoTimeSchema,
  expiresAt: isoTimeSchema,
});
export type PairingCodeResponse = z.infer<typeof pairingCodeResponseSchema>;

/** What became of a pairing code: `voided` by wrong codes tried, `expired` by time or a newer code. */
export const pairingCodeStatusSchema = z.object({
  issuedAt: isoTimeSchema,
  expiresAt: isoTimeSchema,
  state: z.enum(['pending', 'used', 'voided', 'expired']),
  /** Set when `used`: when, and the headset it paired (null if that headset was erased since). */
  pairedAt: isoTimeSchema.nullable(),
  deviceId: idSchema.nullable(),
});
export type PairingCodeStatus = z.infer<typeof pairingCodeStatusSchema>;

/** The patient's newest pairing code (null when none was ever issued). */
export const pairingStatusSchema = z.object({ latest: pairingCodeStatusSchema.nullable() });
export type PairingStatus = z.infer<typeof pairingStatusSchema>;

export const pairRequestSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/),
});

export const pairResponseSchema = z.object({
  deviceToken: z.string(),
  patient: z.object({ id: idSchema, label: z.string() }),
});
export type PairResponse = z.infer<typeof pairResponseSchema>;

export const deviceRecordSchema = z.object({
  id: idSchema,
  createdAt: isoTimeSchema,
  lastSeenAt: isoTimeSchema.nullable(),
  revokedAt: isoTimeSchema.nullable(),
  /** The session this headset plays and has not ended (unpairing it ends that session). */
  openSessionId: idSchema.nullable(),
});
export const deviceListSchema = z.object({ devices: z.array(deviceRecordSchema) });
export type DeviceList = z.infer<typeof deviceListSchema>;

/**
 * Each arm's spatial performance map (shared/clinical/personal/map-snapshot.ts), as stored with
 * the patient: sent to the headset with the plan, and to the dashboard (GET
 * /api/patients/:id/performance-map).
 */
export const performanceMapsSchema = z.object({
  left: mapSnapshotSchema,
  right: mapSnapshotSchema,
});
export type PerformanceMaps = z.infer<typeof performanceMapsSchema>;

export const deviceMeSchema = z.object({
  patient: z.object({
    id: idSchema,
    label: z.string(),
    affectedArm: armSchema,
    posture: postureSchema,
  }),
  plan: sessionPlanSchema.nullable(),
  calibration: calibrationSchema,
  difficulty: difficultyStateSchema,
  /**
   * What the end-of-session scene sets the session against. Absent from a profile cached before
   * it existed: read as no history (the patient's first session as far as the headset knows).
   */
  progress: progressHistorySchema.default(EMPTY_PROGRESS_HISTORY),
  /** Optional: profiles cached by headsets before maps existed have none (focus then balances). */
  performanceMaps: performanceMapsSchema.optional(),
});
export type DeviceMe = z.infer<typeof deviceMeSchema>;

// --- audit, export, health

export const auditEntrySchema = z.object({
  id: idSchema,
  at: isoTimeSchema,
  actorKind: z.enum(['therapist', 'device', 'anonymous', 'system']),
  actorId: z.string().nullable(),
  patientId: z.string().nullable(),
  sessionId: z.string().nullable(),
  action: z.string(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
});
export const auditListSchema = z.object({ entries: z.array(auditEntrySchema) });

export const patientExportSchema = z.object({
  exportedAt: isoTimeSchema,
  patient: patientSchema,
  /** As stored: which session a headset has open is live state, and the sessions below tell it. */
  devices: z.array(deviceRecordSchema.omit({ openSessionId: true })),
  /** Clinical scale scores the therapist recorded (shared/protocol/scales.ts). */
  scales: z.array(scaleEntrySchema),
  sessions: z.array(sessionRecordSchema.extend({ trials: z.array(trialSchema) })),
  ratings: z.array(storedSetRatingSchema),
  /** What the live check stored about trials against the patient's baseline (flagged ones only). */
  trialFlags: z.array(
    z.object({ trialId: uuidSchema, sessionId: uuidSchema, flags: trialFlagsSchema }),
  ),
  /** Every unusual-trial alert as it went out to the live view, oldest first. */
  alerts: z.array(storedAbnormalAlertSchema.extend({ sessionId: uuidSchema })),
  audit: z.array(auditEntrySchema),
});

export const healthSchema = z.object({ status: z.literal('ok'), db: z.literal('ok') });
