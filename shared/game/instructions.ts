import type { Task } from '../protocol';
import type { Palette } from './display-presets';

/**
 * Every sentence the patient hears or reads during a session, worded for the input in use and
 * for what is drawn (client/patient/game/Visuals.tsx: the touch and hold target is a ball with a
 * ring that grows while the hand stays in it, the grasp object a cube and its goal a ball, in the
 * palette's colours). Controllers: the trigger or the grip button picks up; hands: a pinch or a
 * closed hand. 'none' (nothing tracked yet) names both.
 */
export type InstructionInput = 'controllers' | 'hands' | 'none';

export type ColourNames = Palette['names'];

/**
 * What the drawn things are called: the plain room's ball and cube, or a world's dress of the
 * same shapes (an apple, a crate, a basket), so the words name what the patient sees.
 */
export interface ThingNames {
  target: string;
  object: string;
  goal: string;
  /** How the carried object goes to the goal: into a basket, onto a post. */
  toGoal: 'into' | 'onto';
}

export const PLAIN_THINGS: ThingNames = {
  target: 'ball',
  object: 'cube',
  goal: 'ball',
  toGoal: 'into',
};

function pickUpAndCarry(input: InstructionInput, goal: string): string {
  if (input === 'hands')
    return `pinch or close your hand to pick it up, and hold on while you carry it ${goal}`;
  if (input === 'controllers')
    return `hold the trigger or the grip button to pick it up, and carry it ${goal}`;
  return `hold the trigger or pinch to pick it up, and carry it ${goal}`;
}

/** What to do in the trial of `task`. */
export function taskInstruction(
  task: Task,
  input: InstructionInput,
  colours: ColourNames,
  things: ThingNames = PLAIN_THINGS,
): string {
  const target = `${colours.target} ${things.target}`;
  switch (task) {
    case 'touch':
      return `Reach out and touch the ${target}.`;
    case 'hold':
      return `Reach the ${target} and keep your hand inside it until the ${colours.goal} ring around it is full size.`;
    case 'grasp':
      return `Touch the ${colours.object} ${things.object}, ${pickUpAndCarry(input, `${things.toGoal} the ${colours.goal} ${things.goal}`)}.`;
  }
}

/** The gesture that continues (or finishes) from a pause. */
function press(input: InstructionInput): string {
  if (input === 'hands') return 'Pinch';
  if (input === 'controllers') return 'Pull the trigger';
  return 'Pull the trigger or pinch';
}

export function pausedInstruction(input: InstructionInput): string {
  return `Paused. ${press(input)} to continue.`;
}

export function timeUpInstruction(input: InstructionInput): string {
  return `Time is up. Well done! ${press(input)} to finish.`;
}

export function restInstruction(
  nextTask: Task,
  input: InstructionInput,
  colours: ColourNames,
  things: ThingNames = PLAIN_THINGS,
): string {
  return `Rest. Next: ${taskInstruction(nextTask, input, colours, things)}`;
}
