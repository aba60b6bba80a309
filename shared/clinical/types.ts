import { z } from 'zod';

/**
 * The clinical vocabulary, one zod schema per word: the core, the wire contract (shared/protocol
 * re-exports these) and the records all use the same schemas and the types inferred from them.
 */

/** Finite numbers only: NaN and Infinity are never accepted from the network. */
export const finite = z.number().finite();
export const vec3Schema = z.tuple([finite, finite, finite]);
export type Vec3 = z.infer<typeof vec3Schema>;

export const armSchema = z.enum(['left', 'right']);
export type Arm = z.infer<typeof armSchema>;
export const taskSchema = z.enum(['touch', 'hold', 'grasp']);
export type Task = z.infer<typeof taskSchema>;
/**
 * Each task in words, one name everywhere: the dashboard (plan editor, live view, records) and the
 * FHIR export's display of the task codes.
 */
export const TASK_LABELS: Readonly<Record<Task, string>> = {
  touch: 'Reach and touch',
  hold: 'Reach and hold',
  grasp: 'Grasp and place',
};
export const trialOutcomeSchema = z.enum(['hit', 'miss_not_reached', 'miss_too_slow']);
export type TrialOutcome = z.infer<typeof trialOutcomeSchema>;
