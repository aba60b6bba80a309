export {
  DEFAULT_PLAN,
  gameWorldSchema,
  parseSessionPlan,
  planInForce,
  planArmSchema,
  planTaskSchema,
  readStoredPlan,
  sessionPlanSchema,
} from './schema';
export type { GameWorld, PlanArm, PlanTask, SessionPlan, SessionPlanInput } from './schema';
export { assessmentTrials, nextStep, totalTrials } from './step';
export type { EndStep, RestStep, SessionProgress, SessionStep, TrialStep } from './step';
