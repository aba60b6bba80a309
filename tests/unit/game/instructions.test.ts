import { describe, expect, it } from 'vitest';
import { displayStyle } from '../../../shared/game/display-presets';
import {
  pausedInstruction,
  restInstruction,
  taskInstruction,
  timeUpInstruction,
} from '../../../shared/game/instructions';

const colours = displayStyle({ large: false, highContrast: false }).palette.names;

describe('instruction wording', () => {
  it('grasp with hands says pinch or close your hand, never squeeze', () => {
    const text = taskInstruction('grasp', 'hands', colours);
    expect(text).toBe(
      'Touch the blue cube, pinch or close your hand to pick it up, and hold on while you carry it into the green ball.',
    );
    expect(text).not.toMatch(/squeeze|ring/);
  });

  it('grasp with controllers names the buttons', () => {
    expect(taskInstruction('grasp', 'controllers', colours)).toBe(
      'Touch the blue cube, hold the trigger or the grip button to pick it up, and carry it into the green ball.',
    );
    expect(taskInstruction('grasp', 'none', colours)).toBe(
      'Touch the blue cube, hold the trigger or pinch to pick it up, and carry it into the green ball.',
    );
  });

  it('touch and hold name the drawn ball and ring in their colours', () => {
    expect(taskInstruction('touch', 'hands', colours)).toBe('Reach out and touch the yellow ball.');
    expect(taskInstruction('hold', 'controllers', colours)).toBe(
      'Reach the yellow ball and keep your hand inside it until the green ring around it is full size.',
    );
    expect(
      taskInstruction('touch', 'hands', { target: 'red', goal: 'white', object: 'pink' }),
    ).toBe('Reach out and touch the red ball.');
  });

  it("a world's dress is named as drawn: an apple, a crate carried into a basket, a lantern onto a post", () => {
    const orchard = { target: 'apple', object: 'crate', goal: 'basket', toGoal: 'into' } as const;
    const lantern = { target: 'lantern', object: 'lantern', goal: 'post', toGoal: 'onto' } as const;
    expect(taskInstruction('touch', 'hands', colours, orchard)).toBe(
      'Reach out and touch the yellow apple.',
    );
    expect(taskInstruction('hold', 'hands', colours, orchard)).toBe(
      'Reach the yellow apple and keep your hand inside it until the green ring around it is full size.',
    );
    expect(taskInstruction('grasp', 'controllers', colours, lantern)).toBe(
      'Touch the blue lantern, hold the trigger or the grip button to pick it up, and carry it onto the green post.',
    );
    expect(restInstruction('grasp', 'hands', colours, orchard)).toBe(
      'Rest. Next: Touch the blue crate, pinch or close your hand to pick it up, and hold on while you carry it into the green basket.',
    );
  });

  it('pause, time up and rest follow the input', () => {
    expect(pausedInstruction('hands')).toBe('Paused. Pinch to continue.');
    expect(pausedInstruction('controllers')).toBe('Paused. Pull the trigger to continue.');
    expect(pausedInstruction('none')).toBe('Paused. Pull the trigger or pinch to continue.');
    expect(timeUpInstruction('hands')).toBe('Time is up. Well done! Pinch to finish.');
    expect(timeUpInstruction('controllers')).toBe(
      'Time is up. Well done! Pull the trigger to finish.',
    );
    expect(restInstruction('touch', 'hands', colours)).toBe(
      'Rest. Next: Reach out and touch the yellow ball.',
    );
  });

  it('both palettes name what they draw', () => {
    const contrast = displayStyle({ large: false, highContrast: true }).palette;
    expect(contrast.names).toEqual({ target: 'yellow', goal: 'green', object: 'blue' });
  });
});
