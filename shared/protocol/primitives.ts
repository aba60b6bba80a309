import { z } from 'zod';

/** The clinical vocabulary is the core's; the wire uses the same schemas. */
export { armSchema, finite, taskSchema, trialOutcomeSchema, vec3Schema } from '../clinical/types';
export type { Arm, Task, TrialOutcome, Vec3 } from '../clinical/types';

/** Client-made identifiers (sessions, trials, commands) are UUIDs so retries are idempotent. */
export const uuidSchema = z.uuid();
export const idSchema = z.string().min(1).max(64);
export const isoTimeSchema = z.iso.datetime({ offset: true });

/**
 * The world a session was actually played in (a plan's 'choice' is resolved before it, and a
 * world that fails to load is replaced by the plain room): a theme only, never a clinical rule.
 */
export const playedWorldSchema = z.enum(['orchard', 'lantern', 'reef', 'plain']);
export type PlayedWorld = z.infer<typeof playedWorldSchema>;

/** Each world's name as the therapist's pages and the FHIR export show it. */
export const PLAYED_WORLD_NAMES: Readonly<Record<PlayedWorld, string>> = Object.freeze({
  orchard: 'Orchard in the morning',
  lantern: 'Lantern festival at dusk',
  reef: 'Underwater reef',
  plain: 'Plain room',
});

export const postureSchema = z.enum(['seated', 'standing']);
export type Posture = z.infer<typeof postureSchema>;
