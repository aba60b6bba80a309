import { poseFrameFromBase64 } from '../../shared/protocol';
import type { RunningServer } from '../support/server';

/** Helpers shared by the abuse (tests/security) and fault-injection (tests/faults) suites. */

export {
  api,
  createPatient,
  pairDevice,
  PASSWORD,
  setUpClinic,
  type ApiAnswer,
  type Clinic,
} from '../support/clinic';
export {
  connect,
  loose,
  nextEvent,
  request,
  sleep,
  waitFor,
  type ConnectOptions,
  type TestSocket,
} from '../support/sockets';
export { makeState, makeTrial } from '../support/trials';
export { poseFrameText } from '../support/pose-frames';

/** Strings an attacker would try in every free-text field. */
export const HOSTILE_LABEL = '<img src=x onerror="window.__pwned=1">';
export const HOSTILE_NOTES =
  '\'); DROP TABLE patients;-- <script>window.__pwned=2</script> " OR 1=1 -- ${7*7} {{7*7}}';

/** The u16 sequence number of a base64 pose frame (bytes 2-3, little-endian), -1 if undecodable. */
export function poseSequence(text: string): number {
  const bytes = poseFrameFromBase64(text);
  return bytes === null || bytes.byteLength < 4 ? -1 : bytes[2]! | (bytes[3]! << 8);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Resident memory of a process, from /proc (Linux), in MiB. */
export async function rssMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** A real crash: SIGKILL to the server process, keeping its data directory. */
export async function crash(server: RunningServer): Promise<void> {
  await server.kill();
}

/** Stops the server (SIGTERM) and waits for its process to exit. */
export async function shutdown(server: RunningServer | undefined, keepData = false): Promise<void> {
  await server?.close({ keepData });
}
