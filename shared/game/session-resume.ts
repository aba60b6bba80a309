import { z } from 'zod';
import {
  addTrialToMap,
  armDifficultySchema,
  createPerformanceMap,
  mapFromSnapshot,
  mapSnapshotWithoutSession,
  nextStep,
  PLACEMENT_MODES,
  placementSettingSchema,
  SECTOR_COUNT,
  sessionPlanSchema,
  type ArmDifficulty,
  type MapSnapshot,
  type PerformanceMapState,
  type PlacementSetting,
  type PlacementSummary,
  type SectorId,
  type SessionPlan,
  type SessionStep,
  type SummaryTrial,
} from '../clinical';
import {
  armSchema,
  finite as finiteNumber,
  idSchema,
  isoTimeSchema,
  trialOutcomeSchema,
  taskSchema,
  uuidSchema,
  type Arm,
  type Task,
} from '../protocol/primitives';
import { sessionStartAckSchema } from '../protocol/events';
import { MAX_TRIALS_PER_SESSION } from '../protocol/trial';

/**
 * Taking a session up again after the headset page reloaded: what the headset keeps of a running
 * session (a snapshot, rewritten at every step of progress) and the pure decision whether a
 * reloaded page may continue it, and where in the plan.
 *
 * A session can be resumed within its lifetime: at most RESUME_IDLE_LIMIT_MS after its last
 * progress and RESUME_MAX_AGE_MS after its start, by the same pairing, with the same plan. Any
 * other snapshot is of a session that can never continue: the headset ends it as `abandoned`
 * (at its last progress) before starting a new one, so records, CSV and dashboard agree.
 */

/** Longest gap since the session's last progress (a trial, a rest, a change) that still resumes. */
export const RESUME_IDLE_LIMIT_MS = 30 * 60_000;
/** Longest time since the session started that still resumes (one clinic day's sitting). */
export const RESUME_MAX_AGE_MS = 12 * 60 * 60_000;

const sectorSchema = z
  .number()
  .int()
  .min(0)
  .max(SECTOR_COUNT - 1);

/**
 * What placement did for an arm's last target (`PlacementSummary`): a resumed session explains a
 * change of placement against it, not against a fresh start.
 */
const placementSummarySchema = z.object({
  mode: z.enum(PLACEMENT_MODES),
  sectors: z.array(sectorSchema).max(SECTOR_COUNT),
});

/**
 * One trial played, as the session keeps it: what the end-of-session summary reads, and (added
 * later, so optional: snapshots saved before lack them) its arm, task, sector of the performance
 * map (null when it has none) and whether it was a trial of the standard reach test.
 */
export const playedTrialSchema = z.object({
  outcome: trialOutcomeSchema,
  levelBefore: finiteNumber,
  levelAfter: finiteNumber,
  metrics: z.record(z.string(), z.unknown()).nullable(),
  arm: armSchema.optional(),
  task: taskSchema.optional(),
  sector: sectorSchema.nullable().optional(),
  assessment: z.boolean().optional(),
});
export type PlayedTrial = SummaryTrial & {
  arm?: Arm;
  task?: Task;
  sector?: SectorId | null;
  assessment?: boolean;
};

/**
 * Version 1 throughout: fields added since are optional, so a snapshot saved before them still
 * resumes (without what it lacks), and code that predates them still reads a newer snapshot.
 */
export const resumeSnapshotSchema = z.object({
  version: z.literal(1),
  sessionId: uuidSchema,
  /** The patient of the pairing that played it: another pairing never continues it. */
  patientId: idSchema,
  mode: z.enum(['live', 'home']),
  startedAt: isoTimeSchema,
  /** When the session last made progress (wall clock). */
  savedAt: isoTimeSchema,
  /** The plan as the session played it. */
  plan: sessionPlanSchema,
  /** Trials played: the standard reach test's first (when the plan has it), then the tasks'. */
  trialsDone: z.number().int().min(0),
  /** The seed of the reach test's order (absent in snapshots made before the test existed). */
  assessmentSeed: z.number().int().optional(),
  restsDone: z.number().int().min(0),
  elapsedActiveSeconds: finiteNumber.min(0),
  /** Levels reached per arm. */
  levels: z.object({ left: finiteNumber, right: finiteNumber }),
  levelStart: finiteNumber,
  /** This session's difficulty configuration, with the therapist's live changes. */
  difficulty: armDifficultySchema,
  taskOverride: taskSchema.nullable(),
  armOverride: armSchema.nullable(),
  score: z.number().int().min(0),
  streak: z.number().int().min(0),
  bestStreak: z.number().int().min(0),
  /** Each trial played so far, in order (the summary's, and the map's on resume). */
  summaryTrials: z.array(playedTrialSchema).max(MAX_TRIALS_PER_SESSION),
  /** Where targets go: the plan's, or the therapist's live `setPlacement` (absent: the plan's). */
  placement: placementSettingSchema.optional(),
  /** What placement did for each arm's last target (absent: nothing yet). */
  placementSummaries: z
    .object({ left: placementSummarySchema, right: placementSummarySchema })
    .optional(),
  /** A placement change explained and not yet carried by a trial record. */
  placementReason: z.string().max(2000).nullable().optional(),
  /**
   * A pause in force at the reload that the reload must not end: the therapist's, or a pain
   * rating's (absent or null: not paused so; the patient's and the headset's own pauses end with
   * the reload, as before).
   */
  heldBy: z.enum(['therapist', 'pain']).nullable().optional(),
  /** When the rest the session was in began (wall clock; absent or null: not in a rest). */
  restStartedAt: isoTimeSchema.nullable().optional(),
  /** The set-end rating asked for and not answered yet (0-based set index, the arm it played). */
  ratingDue: z
    .object({ setIndex: z.number().int().min(0).max(399), arm: armSchema })
    .nullable()
    .optional(),
});

export type ResumeSnapshot = Omit<
  z.infer<typeof resumeSnapshotSchema>,
  | 'plan'
  | 'difficulty'
  | 'summaryTrials'
  | 'levels'
  | 'taskOverride'
  | 'armOverride'
  | 'placement'
  | 'placementSummaries'
  | 'ratingDue'
> & {
  plan: SessionPlan;
  difficulty: ArmDifficulty;
  summaryTrials: PlayedTrial[];
  levels: Record<Arm, number>;
  taskOverride: Task | null;
  armOverride: Arm | null;
  placement?: PlacementSetting;
  placementSummaries?: Record<Arm, PlacementSummary>;
  ratingDue?: { setIndex: number; arm: Arm } | null;
};

/** A stored snapshot, or null when it is missing or not one (an older format, a damaged value). */
export function parseResumeSnapshot(raw: unknown): ResumeSnapshot | null {
  const parsed = resumeSnapshotSchema.safeParse(raw);
  return parsed.success ? (parsed.data as ResumeSnapshot) : null;
}

/** JSON with object keys sorted, so two equal plans compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const samePlan = (a: SessionPlan, b: SessionPlan): boolean =>
  canonicalJson(a) === canonicalJson(b);

/**
 * Whether the session may go on under the plan in force now: the plan it plays, or one that
 * differs only in an arm's difficulty that the session already plays. The therapist's live
 * `setDifficulty` with `keep` writes the session's new settings into the stored plan, and that
 * must not end the session it was made in when its page reloads.
 */
export function planStillPlayed(snapshot: ResumeSnapshot, plan: SessionPlan): boolean {
  if (samePlan(snapshot.plan, plan)) return true;
  if (!samePlan({ ...snapshot.plan, difficulty: plan.difficulty }, plan)) return false;
  return (['left', 'right'] as const).every((arm) => {
    const now = canonicalJson(plan.difficulty[arm]);
    return (
      now === canonicalJson(snapshot.plan.difficulty[arm]) ||
      now === canonicalJson(snapshot.difficulty[arm])
    );
  });
}

/**
 * An arm's performance map for a resumed session, or null when the snapshot cannot say (saved
 * before trials carried their arm and sector: the server's map is then used as it is). The
 * server's map (sent with the plan at this start, or the cached copy offline) holds some, all or
 * none of this session's trials: the ones still in the outbox are missing, and offline even the
 * delivered ones. So the map is the server's without this session, plus every trial the session
 * played, from the snapshot: exactly the map the session had before the reload (a trial without
 * a sector is left to the server's `unmapped` count).
 */
export function resumedPerformanceMap(
  arm: Arm,
  server: MapSnapshot | undefined,
  snapshot: ResumeSnapshot,
): PerformanceMapState | null {
  const trials = snapshot.summaryTrials;
  if (!trials.every((t) => t.arm !== undefined && t.sector !== undefined)) return null;
  const map =
    server !== undefined && server.arm === arm
      ? mapFromSnapshot(mapSnapshotWithoutSession(server, snapshot.sessionId))
      : createPerformanceMap(arm);
  for (const t of trials) {
    if (t.arm !== arm || t.sector === null || t.sector === undefined) continue;
    addTrialToMap(map, {
      sessionId: snapshot.sessionId,
      task: t.task ?? 'touch',
      arm,
      sector: t.sector,
      outcome: t.outcome,
      assessment: t.assessment === true,
      metrics: t.metrics ?? {},
    });
  }
  return map;
}

export type ResumeDecision =
  /** Nothing to take up: a new session. */
  | { kind: 'none' }
  /** Continue the snapshot's session; `next` is where the plan stands. */
  | { kind: 'resume'; snapshot: ResumeSnapshot; next: SessionStep }
  /** End the snapshot's session as abandoned at `endedAt`, then start a new one. */
  | {
      kind: 'abandon';
      snapshot: ResumeSnapshot;
      why: 'expired' | 'plan_changed';
      endedAt: string;
    }
  /** A snapshot of another pairing: not this headset's to continue or to end. */
  | { kind: 'discard'; snapshot: ResumeSnapshot };

export interface ResumeContext {
  nowMs: number;
  /** The patient this headset is paired to now. */
  patientId: string;
  /** The plan a new session would play now. */
  plan: SessionPlan;
}

/**
 * Seconds of a `seconds`-long rest already behind a resumed session: since the rest began (wall
 * clock, reload included: the patient rested meanwhile), at most the whole rest; none when it
 * cannot be told (no rest, a clock that went backwards, an unreadable time).
 */
export function restedBeforeReload(
  restStartedAt: string | null,
  nowMs: number,
  seconds: number,
): number {
  if (restStartedAt === null) return 0;
  const rested = (nowMs - Date.parse(restStartedAt)) / 1000;
  return Number.isFinite(rested) ? Math.min(seconds, Math.max(0, rested)) : 0;
}

/** Where a session continues: the plan's next step after the progress the snapshot recorded. */
export const resumePoint = (snapshot: ResumeSnapshot): SessionStep =>
  nextStep(snapshot.plan, {
    trialsDone: snapshot.trialsDone,
    restsDone: snapshot.restsDone,
    elapsedActiveSeconds: snapshot.elapsedActiveSeconds,
  });

export function decideResume(
  snapshot: ResumeSnapshot | null,
  context: ResumeContext,
): ResumeDecision {
  if (snapshot === null) return { kind: 'none' };
  if (snapshot.patientId !== context.patientId) return { kind: 'discard', snapshot };
  const abandon = (why: 'expired' | 'plan_changed') =>
    ({ kind: 'abandon', snapshot, why, endedAt: snapshot.savedAt }) as const;
  const idleMs = context.nowMs - Date.parse(snapshot.savedAt);
  const ageMs = context.nowMs - Date.parse(snapshot.startedAt);
  // A clock that went backwards cannot say how long ago it was: too uncertain to resume.
  if (idleMs < 0 || ageMs < 0) return abandon('expired');
  if (idleMs > RESUME_IDLE_LIMIT_MS || ageMs > RESUME_MAX_AGE_MS) return abandon('expired');
  if (!planStillPlayed(snapshot, context.plan)) return abandon('plan_changed');
  return { kind: 'resume', snapshot, next: resumePoint(snapshot) };
}

/**
 * Whether the server's answer to this session's `session:start` says the session has already
 * ended (the therapist stopped it while the headset was away, or the server ended it otherwise):
 * the headset then ends it too and shows the summary instead of playing on. An answer about
 * another session, or one the headset cannot read, changes nothing.
 */
export function endedWhileAway(sessionId: string, answer: unknown): boolean {
  const parsed = sessionStartAckSchema.safeParse(answer);
  return parsed.success && parsed.data.sessionId === sessionId && parsed.data.ended !== undefined;
}
