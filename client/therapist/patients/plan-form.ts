import { CLINICAL_LIMITS } from '../../../shared/clinical/difficulty';
import { sessionPlanSchema, type SessionPlan } from '../../../shared/clinical/plan';
import { DIFFICULTY_FIELDS, withinLimits } from '../ui/difficulty-fields';

const WORDED = new Set<string>([...DIFFICULTY_FIELDS.map((f) => f.key), 'targetSuccess', 'gain']);

/** Every reason the plan cannot be saved, in words; empty when it can. */
export function planProblems(plan: SessionPlan): string[] {
  const problems: string[] = [];
  const parsed = sessionPlanSchema.safeParse(plan);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // The clinical limits of each arm are named below, in the units of the form.
      if (issue.path[0] === 'difficulty' && WORDED.has(String(issue.path[2]))) continue;
      problems.push(`${issue.path.join(' ') || 'plan'}: ${issue.message}`);
    }
  }
  for (const arm of ['right', 'left'] as const) {
    const d = plan.difficulty[arm];
    const side = arm === 'right' ? 'Right arm' : 'Left arm';
    for (const field of DIFFICULTY_FIELDS) {
      for (const end of ['easy', 'hard'] as const) {
        if (!withinLimits(d[field.key][end], field.limits)) {
          problems.push(
            `${side}: ${field.label} (${end}) must be between ${field.limits.min * field.scale} and ${field.limits.max * field.scale} ${field.unit}`,
          );
        }
      }
    }
    if (!withinLimits(d.targetSuccess, CLINICAL_LIMITS.targetSuccess)) {
      problems.push(`${side}: Target success must be between 65 % and 85 %`);
    }
    if (!withinLimits(d.gain, CLINICAL_LIMITS.gain))
      problems.push(`${side}: Step size must be between 1 and 20`);
  }
  return problems;
}
