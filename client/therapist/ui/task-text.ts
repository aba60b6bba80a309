import type { Task } from '../../../shared/protocol/primitives';

/** Each task as the dashboard names it: in the plan editor, the live view and the records. */
export const TASK_LABELS: Record<Task, string> = {
  touch: 'Reach and touch',
  hold: 'Reach and hold',
  grasp: 'Grasp and place',
};

export const TASKS = Object.keys(TASK_LABELS) as Task[];

/**
 * A task in words. Records and audit entries may hold a task this version does not know (stored
 * by another one): shown as it came rather than hidden.
 */
export const taskText = (task: string): string =>
  Object.hasOwn(TASK_LABELS, task) ? TASK_LABELS[task as Task] : task;
