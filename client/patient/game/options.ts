import { CLINICAL_LIMITS } from '../../../shared/clinical/difficulty';
import { isAutomation } from './emulator';

/** Timings of the session's pacing; tests shorten them with URL parameters in automation mode. */
export interface GameOptions {
  /** Seconds an instruction shows before the first trial of a set. */
  instructionSeconds: number;
  /** Seconds between two trials of a set. */
  interTrialSeconds: number;
  /** Overrides the plan's rest, seconds (automation only). */
  restSeconds: number | null;
  /** Overrides the plan's hold time, seconds (automation only). */
  holdSeconds: number | null;
  /** Seconds of stillness that confirm a calibration direction. */
  calibrationHoldSeconds: number;
  /** Automation: replaces the plan's tasks, e.g. "touch:12,hold:12,grasp:12". */
  tasks: { task: 'touch' | 'hold' | 'grasp'; repetitions: number }[] | null;
  /** Which point of a tracked hand is the effector. */
  handEffector: 'index-finger-tip' | 'wrist';
  seed: number | null;
  /** Automation: time limits at the easy and hard ends (a slow emulator needs more time). */
  timeLimit: { easy: number; hard: number } | null;
}

const number = (params: URLSearchParams, key: string): number | null => {
  const raw = params.get(key);
  if (raw === null) return null;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 && value <= 600 ? value : null;
};

function parseTasks(raw: string | null): GameOptions['tasks'] {
  if (raw === null) return null;
  const tasks: NonNullable<GameOptions['tasks']> = [];
  for (const part of raw.split(',')) {
    const [task, reps] = part.split(':');
    const repetitions = Number(reps);
    if ((task === 'touch' || task === 'hold' || task === 'grasp') && repetitions >= 1)
      tasks.push({ task, repetitions: Math.min(100, Math.floor(repetitions)) });
  }
  return tasks.length > 0 ? tasks : null;
}

/** Test-only override of both arms' time limits; ignored outside the clinical limits. */
const timeLimitOf = (easy: number | null, hard: number | null) => {
  const { min, max } = CLINICAL_LIMITS.timeLimit;
  const ok = (v: number | null): v is number => v !== null && v >= min && v <= max;
  return ok(easy) && ok(hard) ? { easy, hard } : null;
};

export function readGameOptions(): GameOptions {
  const params = new URLSearchParams(location.search);
  const automation = isAutomation();
  const test = (key: string) => (automation ? number(params, key) : null);
  return {
    instructionSeconds: test('instruction') ?? 3,
    interTrialSeconds: test('interTrial') ?? 1,
    restSeconds: test('rest'),
    holdSeconds: test('dwell'),
    calibrationHoldSeconds: test('calibrationHold') ?? 1.5,
    tasks: automation ? parseTasks(params.get('tasks')) : null,
    handEffector: params.get('handEffector') === 'wrist' ? 'wrist' : 'index-finger-tip',
    seed: test('seed'),
    timeLimit: timeLimitOf(test('timeLimitEasy'), test('timeLimitHard')),
  };
}
