import type { Arm } from '../../protocol';
import {
  CALIBRATION_INSTRUCTIONS,
  calibrationResult,
  currentDirection,
  feedCalibration,
  isCalibrationDone,
  startCalibration,
} from '../calibration';
import { emit, isoNow, publish, say, sound } from './emit';
import type { SessionState } from './state';

/** An arm without a workspace is measured before it plays. */
export function beginCalibration(state: SessionState, arm: Arm): void {
  state.phase = 'calibrating';
  const run = startCalibration(arm, state.config.posture ?? 'seated', state.input.head, {
    holdSeconds: state.config.options.calibrationHoldSeconds,
    stillRadius: 0.03,
    minTravel: 0.1,
  });
  state.calibrationRun = run;
  const direction = currentDirection(run)!;
  const instruction = `Let's measure your ${arm} arm. ${CALIBRATION_INSTRUCTIONS[direction]}`;
  publish(state, {
    status: 'calibrating',
    arm,
    calibrationStep: direction,
    instruction,
    targets: [],
    restSecondsLeft: null,
  });
  say(state, instruction);
}

/**
 * A calibrating frame: a held (or confirmed) direction moves on to the next one; true once the
 * arm is measured and its workspace saved (the session then goes on with the plan).
 */
export function calibrate(state: SessionState, selectEdge: boolean): boolean {
  const run = state.calibrationRun!;
  const arm = run.arm;
  const input = state.input;
  if (!input.tracked[arm]) return false;
  const confirmed = feedCalibration(run, input.t, input.effector[arm], selectEdge);
  if (confirmed === null) return false;
  sound(state, 'confirm');
  const next = currentDirection(run);
  if (next !== null) {
    say(state, CALIBRATION_INSTRUCTIONS[next]);
    publish(state, { calibrationStep: next, instruction: CALIBRATION_INSTRUCTIONS[next] });
    return false;
  }
  if (!isCalibrationDone(run)) return false;
  const workspace = calibrationResult(run, isoNow(state));
  state.workspaces[arm] = workspace;
  state.calibrationRun = null;
  publish(state, { workspace, calibrationStep: null });
  emit(state, { type: 'calibration-saved', calibration: { ...state.workspaces } });
  return true;
}
