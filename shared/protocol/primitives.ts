import { z } from 'zod';

/** Finite numbers only: NaN and Infinity are never accepted from the network. */
export const finite = z.number().finite();
export const vec3Schema = z.tuple([finite, finite, finite]);
export type Vec3 = z.infer<typeof vec3Schema>;

/** Client-made identifiers (sessions, trials, commands) are UUIDs so retries are idempotent. */
export const uuidSchema = z.uuid();
export const idSchema = z.string().min(1).max(64);
export const isoTimeSchema = z.iso.datetime({ offset: true });

export const armSchema = z.enum(['left', 'right']);
export type Arm = z.infer<typeof armSchema>;
export const taskSchema = z.enum(['touch', 'hold', 'grasp']);
export type Task = z.infer<typeof taskSchema>;
export const postureSchema = z.enum(['seated', 'standing']);
export type Posture = z.infer<typeof postureSchema>;
export const outcomeSchema = z.enum(['hit', 'miss_not_reached', 'miss_too_slow']);
export type Outcome = z.infer<typeof outcomeSchema>;
