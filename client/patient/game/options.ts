import { CLINICAL_LIMITS } from '../../../shared/clinical/difficulty';
import type { SessionOptions } from '../../../shared/game/session';
import { isAutomation } from './emulator';

/** The session's pacing (tests shorten it with URL parameters in automation mode), and the page's. */
export interface GameOptions extends SessionOptions {
  /** Which point of a tracked hand is the effector. */
  handEffector: 'index-finger-tip' | 'wrist';
  /** Automation: a fixed seed for target placement. */
  seed: number | null;
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

/** `1` or `0` (automation: the standard reach test on or off); anything else: null. */
const flag = (raw: string | null): boolean | null =>
  raw === '1' ? true : raw === '0' ? false : null;

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
    assessment: automation ? flag(params.get('assessment')) : null,
  };
}
