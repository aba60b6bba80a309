import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import {
  createPoseFrame,
  encodePoseFrame,
  MAX_POSE_FRAME_BYTES,
  PROTOCOL_VERSION,
  type AckResult,
  type ClientToServerEvents,
  type LiveState,
  type ServerToClientEvents,
  type Trial,
} from '../../shared/protocol';
import type { PatientRecord } from '../../shared/protocol/http';
import { addTherapist, login, type RunningServer } from '../support/server';

/** Helpers shared by the abuse (tests/security) and fault-injection (tests/faults) suites. */

/** Strings an attacker would try in every free-text field. */
export const HOSTILE_LABEL = '<img src=x onerror="window.__pwned=1">';
export const HOSTILE_NOTES =
  '\'); DROP TABLE patients;-- <script>window.__pwned=2</script> " OR 1=1 -- ${7*7} {{7*7}}';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export const PASSWORD = 'correct horse battery staple';

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

export async function api<T = unknown>(
  url: string,
  method: string,
  path: string,
  token?: string | null,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as T };
  } catch {
    return { status: response.status, body: text as T };
  }
}

export async function createPatient(
  url: string,
  token: string,
  code: string,
  extra: Partial<{ label: string; notes: string }> = {},
): Promise<PatientRecord> {
  const { status, body } = await api<PatientRecord>(url, 'POST', '/api/patients', token, {
    code,
    label: extra.label ?? `Patient ${code}`,
    affectedArm: 'right',
    posture: 'seated',
    notes: extra.notes ?? '',
  });
  if (status !== 201) throw new Error(`create patient: ${status} ${JSON.stringify(body)}`);
  return body;
}

export async function pairDevice(
  url: string,
  token: string,
  patientId: string,
): Promise<{ deviceToken: string; deviceId: string }> {
  const code = await api<{ code: string }>(
    url,
    'POST',
    `/api/patients/${patientId}/pairing-code`,
    token,
  );
  const paired = await api<{ deviceToken: string }>(url, 'POST', '/api/pair', null, {
    code: code.body.code,
  });
  if (paired.status !== 201)
    throw new Error(`pair: ${paired.status} ${JSON.stringify(paired.body)}`);
  const devices = await api<{ devices: { id: string }[] }>(
    url,
    'GET',
    `/api/patients/${patientId}/devices`,
    token,
  );
  return { deviceToken: paired.body.deviceToken, deviceId: devices.body.devices.at(-1)!.id };
}

/** A therapist with one patient and one paired headset. */
export interface Clinic {
  therapistToken: string;
  patientId: string;
  deviceToken: string;
  deviceId: string;
}

export async function setUpClinic(
  server: { url: string; dataDir: string },
  username: string,
  /** The server's database settings, for the account CLI (e.g. DATABASE_URL). */
  env: Record<string, string> = {},
): Promise<Clinic> {
  await addTherapist(server, username, PASSWORD, env);
  const therapistToken = await login(server.url, username, PASSWORD);
  const patientId = (await createPatient(server.url, therapistToken, `${username}-P1`)).id;
  const device = await pairDevice(server.url, therapistToken, patientId);
  return { therapistToken, patientId, ...device };
}

export interface ConnectOptions {
  protocolVersion?: number;
  /** socket.io-client's own reconnection, as the real pages use it. */
  reconnection?: boolean;
}

/** Resolves once connected; rejects with the server's connect_error. */
export function connect(
  url: string,
  token: string,
  options: ConnectOptions = {},
): Promise<TestSocket> {
  const socket: TestSocket = io(url, {
    auth: { protocolVersion: options.protocolVersion ?? PROTOCOL_VERSION, token },
    transports: ['websocket'],
    reconnection: options.reconnection ?? false,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

type LooseSocket = {
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
  emit(event: string, ...args: unknown[]): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  off(event: string, listener: (...args: unknown[]) => void): void;
};
export const loose = (socket: TestSocket): LooseSocket => socket as unknown as LooseSocket;

/** Emits with an acknowledgement; resolves with the answer (rejects after `timeoutMs`). */
export function request(
  socket: TestSocket,
  event: string,
  payload: unknown,
  timeoutMs = 5000,
): Promise<AckResult<unknown>> {
  return loose(socket).timeout(timeoutMs).emitWithAck(event, payload) as Promise<
    AckResult<unknown>
  >;
}

export function nextEvent<T>(socket: TestSocket, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (payload: unknown) => {
      clearTimeout(timer);
      resolve(payload as T);
    };
    const timer = setTimeout(() => {
      loose(socket).off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    (socket as unknown as { once(e: string, l: (p: unknown) => void): void }).once(event, listener);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

const METRICS = {
  reactionTime: 0.3,
  movementTime: 0.9,
  peakSpeed: 0.8,
  timeToPeakPct: 45,
  pathLength: 0.4,
  straightDistance: 0.35,
  pathRatio: 1.14,
  maxPerpDeviation: 0.02,
  speedPeaks: 1,
  sparc: -1.5,
  ldlj: -6,
  normalizedJerk: null,
  meanJerk: null,
  endpointError: 0.01,
  endpointAlong: 0.005,
  endpointPerp: 0.008,
  minDistanceToTarget: 0.01,
  trunkForward: 0.02,
  trunkMax: 0.03,
  trunkRatioPct: 5,
  iOnset: 10,
  iPeak: 40,
  iOffset: 90,
  flags: [],
  specVersion: '1.0.0',
};

/** A valid finished trial (90 samples) as the headset makes it. */
export function makeTrial(sessionId: string, trialNumber: number, samples = 90): Trial {
  const start = Date.now() - 3000;
  return {
    id: randomUUID(),
    sessionId,
    trialNumber,
    task: 'touch',
    arm: 'right',
    set: 1,
    startedAt: new Date(start).toISOString(),
    endedAt: new Date(start + 2000).toISOString(),
    levelBefore: 20,
    levelAfter: 21,
    params: { distanceFraction: 0.6, targetRadius: 0.05, timeLimit: 4, spreadDeg: 40 },
    target: [0.1, 1.1, -0.4],
    outcome: trialNumber % 3 === 0 ? 'miss_too_slow' : 'hit',
    tContact: trialNumber % 3 === 0 ? null : 1.2,
    reason: 'hit: level up',
    inputMode: 'controllers',
    metrics: METRICS,
    trunkCompensation: false,
    samples: {
      fs: 90,
      t: Array.from({ length: samples }, (_, i) => i / 90),
      hand: Array.from({ length: samples }, (_, i) => [0.001 * i, 1, -0.002 * i]),
      otherHand: [],
      head: Array.from({ length: samples }, () => [0, 1.6, 0]),
    },
  };
}

export function makeState(sessionId: string, overrides: Partial<LiveState> = {}): LiveState {
  return {
    sessionId,
    status: 'running',
    pausedBy: null,
    task: 'touch',
    arm: 'right',
    level: 25,
    params: { distanceFraction: 0.6, targetRadius: 0.05, timeLimit: 4, spreadDeg: 40 },
    trialNumber: 3,
    score: 120,
    streak: 2,
    targets: [{ id: 't1', kind: 'target', position: [0.1, 1.1, -0.4], radius: 0.05 }],
    restSecondsLeft: null,
    elapsedSeconds: 42,
    inputMode: 'controllers',
    workspace: null,
    instruction: 'Touch the star',
    ...overrides,
  };
}

/** A valid encoded pose frame; `sequence` (u16) lets a watcher match it to its send time. */
export function poseBytes(sequence: number): Uint8Array {
  const frame = createPoseFrame();
  frame.sequence = sequence & 0xffff;
  frame.timeMs = sequence * 33;
  frame.present.head = true;
  frame.head.position.set([0, 1.6, 0.1]);
  frame.present.rightController = true;
  frame.rightController.position.set([0.2, 1.1, -0.3]);
  const out = new DataView(new ArrayBuffer(MAX_POSE_FRAME_BYTES));
  const length = encodePoseFrame(frame, out);
  return new Uint8Array(out.buffer, 0, length).slice();
}

/** The u16 sequence number of an encoded pose frame (bytes 2-3, little-endian). */
export const poseSequence = (bytes: Uint8Array): number => bytes[2]! | (bytes[3]! << 8);

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

/**
 * The server process behind `startServer`: tsx spawns node as a child, so the process that holds
 * the heap is the newest descendant running server/cli/start.ts.
 */
/** A real crash: SIGKILL to the server process, keeping its data directory. */
export async function crash(server: RunningServer): Promise<void> {
  await server.kill();
}

/** Stops the server (SIGTERM) and waits for its process to exit. */
export async function shutdown(server: RunningServer | undefined, keepData = false): Promise<void> {
  await server?.close({ keepData });
}
