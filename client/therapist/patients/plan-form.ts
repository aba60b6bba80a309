import { CLINICAL_LIMITS } from '../../../shared/protocol/control';
import { DEFAULT_PLAN, sessionPlanSchema, type SessionPlan } from '../../../shared/clinical/plan';
import { DIFFICULTY_FIELDS, withinLimits } from '../live/difficulty-fields';

/** The plan to edit: the stored one if it is valid, otherwise a copy of the clinical default. */
export function planForEditing(stored: unknown): SessionPlan {
  const parsed = sessionPlanSchema.safeParse(stored);
  return parsed.success ? parsed.data : structuredClone(DEFAULT_PLAN);
}

/** Every reason the plan cannot be saved, in words; empty when it can. */
export function planProblems(plan: SessionPlan): string[] {
  const problems: string[] = [];
  const parsed = sessionPlanSchema.safeParse(plan);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join(' ') || 'plan'}: ${issue.message}`);
    }
  }
  const d = plan.difficulty;
  for (const field of DIFFICULTY_FIELDS) {
    for (const end of ['easy', 'hard'] as const) {
      if (!withinLimits(d[field.key][end], field.limits)) {
        problems.push(
          `${field.label} (${end}) must be between ${field.limits.min * field.scale} and ${field.limits.max * field.scale} ${field.unit}`,
        );
      }
    }
  }
  if (!withinLimits(d.targetSuccess, CLINICAL_LIMITS.targetSuccess)) {
    problems.push('Target success must be between 65 % and 85 %');
  }
  if (!withinLimits(d.gain, CLINICAL_LIMITS.gain))
    problems.push('Step size must be between 1 and 20');
  return problems;
}
