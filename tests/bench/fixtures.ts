import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { PASSWORD, therapistWithToken } from '../support/clinic';
import { login } from '../support/server';
import { inBatches } from './sockets';

/**
 * The server allows 30 pairings per client address per 15 minutes. Every 127.x.y.z is a loopback
 * address on Linux, so the load generator pairs its headsets from many source addresses, as a
 * clinic's many headsets would, instead of weakening the server's limit.
 */
const PAIRINGS_PER_ADDRESS = 25;

export interface PairedHeadset {
  patientId: string;
  deviceToken: string;
}

export interface BenchTherapist {
  username: string;
  token: string;
}

export async function httpJson<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; localAddress?: string } = {},
): Promise<{ status: number; body: T }> {
  const url = new URL(path, baseUrl);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolveAnswer, reject) => {
    const req = request(
      url,
      {
        method,
        localAddress: options.localAddress,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text for the error message
          }
          resolveAnswer({ status: res.statusCode ?? 0, body: body as T });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A fresh therapist account (unique name, so a shared PostgreSQL database can be reused). */
export async function benchTherapist(
  server: { url: string; dataDir: string },
  env: Record<string, string> = {},
): Promise<BenchTherapist> {
  const username = `bench_${randomBytes(4).toString('hex')}`;
  return { username, token: await therapistWithToken(server, username, env) };
}

/** The server refuses a fifth open socket per token. */
export const SOCKETS_PER_TOKEN = 4;

/** More sign-ins of the same therapist: one token may hold only a few open sockets. */
export async function loginTokens(
  url: string,
  therapist: BenchTherapist,
  count: number,
): Promise<string[]> {
  const tokens = [therapist.token];
  while (tokens.length < count) tokens.push(await login(url, therapist.username, PASSWORD));
  return tokens;
}

const sourceAddress = (index: number) => {
  const block = Math.floor(index / PAIRINGS_PER_ADDRESS) + 2;
  return `127.0.${Math.floor(block / 250)}.${(block % 250) + 2}`;
};

async function pairOne(url: string, token: string, index: number): Promise<PairedHeadset> {
  const code = `bench-${randomBytes(6).toString('hex')}`;
  const patient = await httpJson<{ id: string }>(url, 'POST', '/api/patients', {
    token,
    body: { code, label: `Bench ${index}`, affectedArm: 'right', posture: 'seated', notes: '' },
  });
  if (patient.status !== 201)
    throw new Error(`create patient: ${patient.status} ${JSON.stringify(patient.body)}`);
  const pairing = await httpJson<{ code: string }>(
    url,
    'POST',
    `/api/patients/${patient.body.id}/pairing-code`,
    { token },
  );
  if (pairing.status >= 300)
    throw new Error(`pairing code: ${pairing.status} ${JSON.stringify(pairing.body)}`);
  const paired = await httpJson<{ deviceToken: string }>(url, 'POST', '/api/pair', {
    body: { code: pairing.body.code },
    localAddress: sourceAddress(index),
  });
  if (paired.status !== 201)
    throw new Error(`pair: ${paired.status} ${JSON.stringify(paired.body)}`);
  return { patientId: patient.body.id, deviceToken: paired.body.deviceToken };
}

/** Creates `count` patients and pairs one headset to each, through the real HTTP API. */
export async function pairHeadsets(
  url: string,
  token: string,
  count: number,
  concurrency = 8,
): Promise<PairedHeadset[]> {
  return inBatches(count, (index) => pairOne(url, token, index), concurrency);
}
