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

function pickUpAndCarry(input: InstructionInput, goal: string): string {
  if (input === 'hands')
    return `pinch or close your hand to pick it up, and hold on while you carry it into the ${goal}`;
  if (input === 'controllers')
    return `hold the trigger or the grip button to pick it up, and carry it into the ${goal}`;
  return `hold the trigger or pinch to pick it up, and carry it into the ${goal}`;
}

/** What to do in the trial of `task`. */
export function taskInstruction(task: Task, input: InstructionInput, colours: ColourNames): string {
  const ball = `${colours.target} ball`;
  switch (task) {
    case 'touch':
      return `Reach out and touch the ${ball}.`;
    case 'hold':
      return `Reach the ${ball} and keep your hand inside it until the ${colours.goal} ring around it is full size.`;
    case 'grasp':
      return `Touch the ${colours.object} cube, ${pickUpAndCarry(input, `${colours.goal} ball`)}.`;
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
): string {
  return `Rest. Next: ${taskInstruction(nextTask, input, colours)}`;
}
