import type { Arm, Calibration, Posture, Vec3, Workspace } from '../protocol';
import { toArmAxes, type ArmAxes } from './frame';
import { estimateShoulder } from './workspace';

export const CALIBRATION_DIRECTIONS = ['forward', 'outward', 'up', 'across'] as const;
export type CalibrationDirection = (typeof CALIBRATION_DIRECTIONS)[number];

export const CALIBRATION_INSTRUCTIONS: Record<CalibrationDirection, string> = {
  forward: 'Reach straight forward as far as is comfortable, then hold still.',
  outward: 'Reach out to the side as far as is comfortable, then hold still.',
  up: 'Reach up as high as is comfortable, then hold still.',
  across: 'Reach across your body as far as is comfortable, then hold still.',
};

/** Limits of the wire schema: a measurement outside them is clamped, never rejected. */
const REACH_LIMITS: Record<CalibrationDirection, [number, number]> = {
  forward: [0.1, 1.5],
  outward: [0.1, 1.5],
  up: [0.05, 1.5],
  across: [0.05, 1.5],
};

export interface CalibrationConfig {
  /** Seconds the hand must stay within `stillRadius` to confirm a direction. */
  holdSeconds: number;
  stillRadius: number;
  /** The hand must first move this far from where the step began (a resting hand is not a reach). */
  minTravel: number;
}

export const DEFAULT_CALIBRATION_CONFIG: CalibrationConfig = {
  holdSeconds: 1.5,
  stillRadius: 0.03,
  minTravel: 0.1,
};

export interface CalibrationRun {
  arm: Arm;
  posture: Posture;
  shoulder: Vec3;
  step: number;
  reach: Record<CalibrationDirection, number>;
  stepStart: Vec3 | null;
  stillAnchor: Vec3;
  stillSince: number;
  travelled: boolean;
  config: CalibrationConfig;
}

export function startCalibration(
  arm: Arm,
  posture: Posture,
  head: Vec3,
  config: CalibrationConfig = DEFAULT_CALIBRATION_CONFIG,
): CalibrationRun {
  return {
    arm,
    posture,
    shoulder: estimateShoulder(head, arm),
    step: 0,
    reach: { forward: 0, outward: 0, up: 0, across: 0 },
    stepStart: null,
    stillAnchor: [0, 0, 0],
    stillSince: 0,
    travelled: false,
    config,
  };
}

export const currentDirection = (run: CalibrationRun): CalibrationDirection | null =>
  CALIBRATION_DIRECTIONS[run.step] ?? null;

export const isCalibrationDone = (run: CalibrationRun): boolean =>
  run.step >= CALIBRATION_DIRECTIONS.length;

const scratchAxes: ArmAxes = { outward: 0, up: 0, forward: 0 };
const scratchOffset: Vec3 = [0, 0, 0];

/** Reach of `hand` along a calibration direction, from the shoulder. */
export function projection(
  run: CalibrationRun,
  direction: CalibrationDirection,
  hand: Vec3,
): number {
  scratchOffset[0] = hand[0] - run.shoulder[0];
  scratchOffset[1] = hand[1] - run.shoulder[1];
  scratchOffset[2] = hand[2] - run.shoulder[2];
  const a = toArmAxes(run.arm, scratchOffset, scratchAxes);
  return direction === 'forward'
    ? a.forward
    : direction === 'outward'
      ? a.outward
      : direction === 'up'
        ? a.up
        : -a.outward;
}

const distance = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const copy = (into: Vec3, from: Vec3) => {
  into[0] = from[0];
  into[1] = from[1];
  into[2] = from[2];
};

function confirm(run: CalibrationRun, direction: CalibrationDirection, hand: Vec3): void {
  const [lo, hi] = REACH_LIMITS[direction];
  const value = projection(run, direction, hand);
  run.reach[direction] = value < lo ? lo : value > hi ? hi : value;
  run.step += 1;
  run.stepStart = null;
  run.travelled = false;
}

/**
 * Feeds one hand sample. A direction is confirmed when the patient pulls the trigger
 * (`confirmPressed`) or, after moving out, holds still for `holdSeconds`. Returns the direction
 * just confirmed, if any, so the shell can give feedback.
 */
export function feedCalibration(
  run: CalibrationRun,
  t: number,
  hand: Vec3,
  confirmPressed: boolean,
): CalibrationDirection | null {
  const direction = currentDirection(run);
  if (direction === null) return null;
  if (run.stepStart === null) {
    run.stepStart = [hand[0], hand[1], hand[2]];
    copy(run.stillAnchor, hand);
    run.stillSince = t;
  }
  if (!run.travelled && distance(hand, run.stepStart) >= run.config.minTravel) run.travelled = true;
  if (distance(hand, run.stillAnchor) > run.config.stillRadius) {
    copy(run.stillAnchor, hand);
    run.stillSince = t;
  }
  const heldStill = run.travelled && t - run.stillSince >= run.config.holdSeconds;
  if (confirmPressed || heldStill) {
    confirm(run, direction, hand);
    return direction;
  }
  return null;
}

/** Seconds of stillness so far in this step, for a progress ring (0 until the hand has moved out). */
export function calibrationHoldProgress(run: CalibrationRun, t: number): number {
  if (!run.travelled) return 0;
  return Math.min(1, (t - run.stillSince) / run.config.holdSeconds);
}

export function calibrationResult(run: CalibrationRun, measuredAt: string): Workspace {
  return {
    arm: run.arm,
    posture: run.posture,
    shoulder: [run.shoulder[0], run.shoulder[1], run.shoulder[2]],
    reach: { ...run.reach },
    measuredAt,
  };
}

/**
 * Each arm's newer workspace of two calibrations, by when it was measured (`a`'s on a tie or when
 * a time cannot be read). A calibration the headset measured and the outbox has not delivered
 * yet must not give way to the older one the server sends at the next start, nor the other way
 * round when another headset measured the patient since.
 */
export function newestCalibration(a: Calibration, b: Calibration): Calibration {
  const newest: Calibration = {};
  for (const arm of ['left', 'right'] as const) {
    const fromA = a[arm];
    const fromB = b[arm];
    const pick =
      fromA === undefined
        ? fromB
        : fromB !== undefined && Date.parse(fromB.measuredAt) > Date.parse(fromA.measuredAt)
          ? fromB
          : fromA;
    if (pick !== undefined) newest[arm] = pick;
  }
  return newest;
}
