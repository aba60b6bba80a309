import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type AckResult,
  type ClientToServerEvents,
  type LiveState,
  type ServerToClientEvents,
  type Trial,
} from '../../shared/protocol';
import type { PatientRecord } from '../../shared/protocol/http';
import { addTherapist, login } from '../support/server';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const PASSWORD = 'correct horse battery';

export async function api<T = unknown>(
  url: string,
  method: string,
  path: string,
  token?: string | null,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // CSV and other text answers stay text
  }
  return { status: response.status, body: parsed as T };
}

export async function therapistWithToken(
  server: { url: string; dataDir: string },
  username: string,
  env: Record<string, string> = {},
): Promise<string> {
  await addTherapist(server, username, PASSWORD, env);
  return login(server.url, username, PASSWORD);
}

export async function createPatient(
  url: string,
  token: string,
  code: string,
): Promise<PatientRecord> {
  const { status, body } = await api<PatientRecord>(url, 'POST', '/api/patients', token, {
    code,
    label: `Patient ${code}`,
    affectedArm: 'right',
    posture: 'seated',
    notes: '',
  });
  if (status !== 201) throw new Error(`create patient: ${status} ${JSON.stringify(body)}`);
  return body;
}

export async function pairDevice(url: string, token: string, patientId: string): Promise<string> {
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
  return paired.body.deviceToken;
}

/** A connected, typed Socket.IO client; rejects with the server's connect_error. */
export function connect(
  url: string,
  token: string,
  protocolVersion = PROTOCOL_VERSION,
): Promise<TestSocket> {
  const socket: TestSocket = io(url, {
    auth: { protocolVersion, token },
    transports: ['websocket'],
    reconnection: false,
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

/** Emits an event with an acknowledgement and resolves with the server's answer. */
export function request(
  socket: TestSocket,
  event: string,
  payload: unknown,
): Promise<AckResult<unknown>> {
  const loose = socket as unknown as {
    timeout(ms: number): {
      emitWithAck(event: string, payload: unknown): Promise<AckResult<unknown>>;
    };
  };
  return loose.timeout(5000).emitWithAck(event, payload);
}

export function nextEvent<T>(socket: TestSocket, event: string, timeoutMs = 5000): Promise<T> {
  const loose = socket as unknown as {
    once(event: string, listener: (payload: T) => void): void;
    off(event: string, listener: (payload: T) => void): void;
  };
  return new Promise((resolve, reject) => {
    const listener = (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      loose.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    loose.once(event, listener);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const nullMetrics = {
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

export function makeTrial(sessionId: string, trialNumber: number, samples = 90): Trial {
  const start = Date.UTC(2026, 0, 5, 10, 0, trialNumber * 5);
  return {
    id: randomUUID(),
    sessionId,
    trialNumber,
    task: 'touch',
    arm: 'right',
    set: 1,
    startedAt: new Date(start).toISOString(),
    endedAt: new Date(start + 2000).toISOString(),
    levelBefore: 20 + trialNumber,
    levelAfter: 21 + trialNumber,
    params: { distanceFraction: 0.6, targetRadius: 0.05, timeLimit: 4, spreadDeg: 40 },
    target: [0.1, 1.1, -0.4],
    outcome: trialNumber % 3 === 0 ? 'miss_too_slow' : 'hit',
    tContact: trialNumber % 3 === 0 ? null : 1.2,
    reason: 'hit: level up',
    inputMode: 'controllers',
    metrics: nullMetrics,
    trunkCompensation: false,
    samples: {
      fs: 90,
      t: Array.from({ length: samples }, (_, i) => i / 90),
      hand: Array.from(
        { length: samples },
        (_, i) => [0.001 * i, 1, -0.002 * i] as [number, number, number],
      ),
      otherHand: [],
      head: Array.from({ length: samples }, () => [0, 1.6, 0] as [number, number, number]),
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

export const startSession = (device: TestSocket, sessionId = randomUUID()) =>
  request(device, 'session:start', {
    sessionId,
    mode: 'live',
    startedAt: new Date().toISOString(),
  }).then((answer) => ({ sessionId, answer }));
