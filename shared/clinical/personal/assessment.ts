import type { Calibration, Workspace } from '../../protocol';
import type { Arm, Vec3 } from '../types';
import {
  clampLevel,
  resolveDifficultyConfig,
  type DifficultyConfigInput,
} from '../difficulty/config';
import { classifyOutcome, type TrialAttempt } from '../difficulty/outcome';
import { paramsFor, type DifficultyParams } from '../difficulty/params';
import type { DifficultyUpdate } from '../difficulty/update';
import { fromArmAxes } from '../../game/frame';
import { seededRandom } from '../../game/random';
import { eyePoint, isInComfortableView, keepInComfortableView } from '../../game/view';
import { isInsideWorkspace, reachAlong } from '../../game/workspace';
import { sectorOf, type SectorId } from './sectors';

/**
 * The standard reach test: a short fixed block at the start of a session, never adapted, so its
 * trials compare across sessions. 8 directions (4 azimuths x 2 elevations in the arm's frame) at
 * 80 % of the calibrated reach that way, one fixed target size and time limit, each reached once
 * per arm, in an order shuffled by the session's seed.
 */
export const ASSESSMENT_AZIMUTHS_DEG: readonly number[] = [-25, -15, -5, 5];
export const ASSESSMENT_ELEVATIONS_DEG: readonly number[] = [10, 30];
export const ASSESSMENT_REACH_FRACTION = 0.8;
export const ASSESSMENT_TARGET_RADIUS_M = 0.04;
export const ASSESSMENT_TIME_LIMIT_S = 5;
export const ASSESSMENT_TASK = 'touch' as const;

/**
 * The test's task parameters as its trials record them (`params`): 80 % of reach, the fixed size
 * and time limit; spread 0 because its directions are fixed, not drawn.
 */
export const ASSESSMENT_PARAMS: Readonly<DifficultyParams> = Object.freeze({
  distanceFraction: ASSESSMENT_REACH_FRACTION,
  targetRadius: ASSESSMENT_TARGET_RADIUS_M,
  timeLimit: ASSESSMENT_TIME_LIMIT_S,
  spreadDeg: 0,
});

/** Why an assessment trial's level did not move: the trial's `reason` (no difficulty rule ran). */
export const ASSESSMENT_REASON =
  'Standard reach test: fixed target, not adapted; the level does not change.';

/**
 * A trial of the standard reach test in the shape of a difficulty update, so it is recorded like
 * any trial: its outcome judged against the test's own time limit (the same hit rule), the level
 * before and after both the arm's current level (clamped to its bounds), `paramsBefore` the
 * test's fixed parameters, `params` the level's (what the next adaptive trial plays).
 */
export function assessmentUpdate(
  level: number,
  attempt: TrialAttempt,
  config?: DifficultyConfigInput,
): DifficultyUpdate {
  const c = resolveDifficultyConfig(config);
  if (!Number.isFinite(level)) throw new RangeError(`level must be a finite number, got ${level}`);
  const current = clampLevel(level, c);
  const outcome = classifyOutcome(attempt, ASSESSMENT_TIME_LIMIT_S);
  return {
    level: current,
    hit: outcome === 'hit',
    params: paramsFor(current, c),
    reason: ASSESSMENT_REASON,
    outcome,
    levelBefore: current,
    paramsBefore: { ...ASSESSMENT_PARAMS },
    atBound: null,
  };
}

export interface AssessmentTarget {
  arm: Arm;
  /** 0-7: elevation index x 4 + azimuth index, the same direction in every session. */
  direction: number;
  azimuthDeg: number;
  elevationDeg: number;
  /** Play space, inside the workspace and the comfortable view whenever the workspace has such a point. */
  position: Vec3;
  /** True when the direction at 80 % lay outside the comfortable view and was moved into it. */
  movedIntoView: boolean;
  sector: SectorId | null;
  radius: number;
  timeLimit: number;
  task: typeof ASSESSMENT_TASK;
}

export interface AssessmentBlock {
  targets: AssessmentTarget[];
  /** Arms of the plan without a calibration: their part of the test is left out. */
  skipped: { arm: Arm; reason: string }[];
}

const DEG = Math.PI / 180;

/** The 8 targets of one arm in direction order (not yet shuffled). */
export function assessmentTargets(ws: Workspace): AssessmentTarget[] {
  const targets: AssessmentTarget[] = [];
  ASSESSMENT_ELEVATIONS_DEG.forEach((elevationDeg, e) => {
    ASSESSMENT_AZIMUTHS_DEG.forEach((azimuthDeg, a) => {
      const el = elevationDeg * DEG;
      const az = azimuthDeg * DEG;
      const axes = {
        outward: Math.cos(el) * Math.sin(az),
        up: Math.sin(el),
        forward: Math.cos(el) * Math.cos(az),
      };
      const distance = ASSESSMENT_REACH_FRACTION * reachAlong(ws, axes);
      const offset = fromArmAxes(
        ws.arm,
        axes.outward * distance,
        axes.up * distance,
        axes.forward * distance,
      );
      const drawn: Vec3 = [
        ws.shoulder[0] + offset[0],
        ws.shoulder[1] + offset[1],
        ws.shoulder[2] + offset[2],
      ];
      const fits = isInComfortableView(eyePoint(ws), drawn) && isInsideWorkspace(ws, drawn);
      // Deterministic: the same calibration gives the same point in every session.
      const position = fits ? drawn : keepInComfortableView(ws, drawn);
      targets.push({
        arm: ws.arm,
        direction: e * ASSESSMENT_AZIMUTHS_DEG.length + a,
        azimuthDeg,
        elevationDeg,
        position,
        movedIntoView: !fits,
        sector: sectorOf(ws, position),
        radius: ASSESSMENT_TARGET_RADIUS_M,
        timeLimit: ASSESSMENT_TIME_LIMIT_S,
        task: ASSESSMENT_TASK,
      });
    });
  });
  return targets;
}

/**
 * The session's test: for each arm of the plan in order (an alternating plan: `firstArm` first),
 * its 8 targets shuffled (Fisher-Yates, j = floor(random() x (i + 1)) for i from 7 down to 1) by
 * one mulberry32 generator seeded with `seed`, the arms' blocks one after the other.
 */
export function assessmentBlock(
  calibration: Calibration,
  arms: readonly Arm[],
  seed: number,
): AssessmentBlock {
  const random = seededRandom(seed);
  const targets: AssessmentTarget[] = [];
  const skipped: AssessmentBlock['skipped'] = [];
  for (const arm of arms) {
    const ws = calibration[arm];
    if (ws === undefined) {
      skipped.push({ arm, reason: `no calibration for the ${arm} arm: calibrate it first` });
      continue;
    }
    const block = assessmentTargets(ws);
    for (let i = block.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = block[i]!;
      block[i] = block[j]!;
      block[j] = swap;
    }
    targets.push(...block);
  }
  return { targets, skipped };
}

/** The arms a plan trains, in the order the test takes them. */
export function planArms(plan: { arm: Arm | 'alternate'; firstArm?: Arm }): Arm[] {
  if (plan.arm !== 'alternate') return [plan.arm];
  const first = plan.firstArm ?? 'right';
  return [first, first === 'right' ? 'left' : 'right'];
}
