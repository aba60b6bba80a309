import { sessionPlanSchema } from '../../shared/clinical';
import type { PatientRecord } from '../../shared/protocol/http';
import { HttpError } from './errors';

/** Checks a therapist's plan against the clinical core's plan schema (and fills its defaults). */
export function validatePlan(
  plan: NonNullable<PatientRecord['plan']>,
): NonNullable<PatientRecord['plan']> {
  const parsed = sessionPlanSchema.safeParse(plan);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(
      'invalid_payload',
      `plan.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data as NonNullable<PatientRecord['plan']>;
}
