import { z } from 'zod';
import {
  armDifficultySchema,
  nextStep,
  sessionPlanSchema,
  type ArmDifficulty,
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
  /** What the end-of-session summary reads of each trial played so far. */
  summaryTrials: z.array(
    z.object({
      outcome: trialOutcomeSchema,
      levelBefore: finiteNumber,
      levelAfter: finiteNumber,
      metrics: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
});

export type ResumeSnapshot = Omit<
  z.infer<typeof resumeSnapshotSchema>,
  'plan' | 'difficulty' | 'summaryTrials' | 'levels' | 'taskOverride' | 'armOverride'
> & {
  plan: SessionPlan;
  difficulty: ArmDifficulty;
  summaryTrials: SummaryTrial[];
  levels: Record<Arm, number>;
  taskOverride: Task | null;
  armOverride: Arm | null;
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
  if (!samePlan(snapshot.plan, context.plan)) return abandon('plan_changed');
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
