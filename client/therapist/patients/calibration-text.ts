import type { PatientRecord } from '../../../shared/protocol/http';
import type { Arm } from '../../../shared/protocol/primitives';

const ARMS: readonly Arm[] = ['right', 'left'];

/**
 * The patient's stored calibration in words, for the patient page. A corrupt one reads as none on
 * the server (the headset then measures again), so the therapist is told that plainly rather than
 * shown an empty calibration.
 */
export function calibrationText(
  patient: Pick<PatientRecord, 'calibration' | 'calibrationCorrupt'>,
): string {
  if (patient.calibrationCorrupt)
    return 'No usable calibration stored: the headset will ask the patient to calibrate again';
  const measured = ARMS.filter((arm) => patient.calibration[arm] !== undefined);
  if (measured.length === 0)
    return 'Not measured yet: the headset measures each arm before it first plays';
  const arms = ARMS.map((arm) => {
    const workspace = patient.calibration[arm];
    return workspace
      ? `${arm} arm measured on ${workspace.measuredAt.slice(0, 10)} (${workspace.posture})`
      : `${arm} arm not measured yet (the headset measures it before it first plays)`;
  }).join('; ');
  return arms.charAt(0).toUpperCase() + arms.slice(1);
}
