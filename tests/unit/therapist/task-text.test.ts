import { describe, expect, it } from 'vitest';
import { taskText } from '../../../client/therapist/ui/task-text';

describe('tasks in words', () => {
  it('names each task as the plan editor does, and an unknown one as it came', () => {
    expect([taskText('touch'), taskText('hold'), taskText('grasp')]).toEqual([
      'Reach and touch',
      'Reach and hold',
      'Grasp and place',
    ]);
    expect(taskText('grasp_place')).toBe('grasp_place');
    expect(taskText('toString')).toBe('toString');
  });
});
