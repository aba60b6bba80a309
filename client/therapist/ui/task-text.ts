import { TASK_LABELS } from '../../../shared/clinical/types';
import type { Task } from '../../../shared/protocol/primitives';

// One map of task names, in shared/ so that the FHIR export names tasks as the dashboard does.
export { TASK_LABELS };

export const TASKS = Object.keys(TASK_LABELS) as Task[];

/**
 * A task in words. Records and audit entries may hold a task this version does not know (stored
 * by another one): shown as it came rather than hidden.
 */
export const taskText = (task: string): string =>
  Object.hasOwn(TASK_LABELS, task) ? TASK_LABELS[task as Task] : task;
