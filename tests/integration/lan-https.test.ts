import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';

/** An address of this machine that is not loopback, as a LAN client would use it. */
function lanAddress(): string | null {
  for (const entries of Object.values(networkInterfaces())) {
    const v4 = entries?.find((e) => e.family === 'IPv4' && !e.internal);
    if (v4 !== undefined) return v4.address;
  }
  return null;
}

const LAN = lanAddress();
if (LAN === null) console.log('[integration] SKIPPED LAN redirect: no non-loopback IPv4 address');

function getInsecure(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // The server's certificate is self-signed; only the protocol is under test here.
    const req = httpsRequest(url, { rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

describe.skipIf(LAN === null)('plain HTTP from the LAN', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ env: { HOST: '0.0.0.0' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is redirected to HTTPS on the same host, port and path, before any route runs', async () => {
    const answer = await fetch(`http://${LAN}:${server.port}/api/patients?x=1`, {
      redirect: 'manual',
      headers: { authorization: 'Bearer rt_secret-would-leak' },
    });
    expect(answer.status).toBe(308);
    expect(answer.headers.get('location')).toBe(`https://${LAN}:${server.port}/api/patients?x=1`);
    expect(await answer.text()).toBe('');
  });

  it('does not echo a malformed Host header into the redirect', async () => {
    const location = await new Promise<string | undefined>((resolve, reject) => {
      const req = httpRequest(
        { host: LAN!, port: server.port, path: '/healthz', headers: { host: 'evil@x.example' } },
        (res) => {
          res.resume();
          resolve(res.headers.location);
        },
      );
      req.once('error', reject);
      req.end();
    });
    expect(location).toBe(`https://${LAN}:${server.port}/healthz`);
  });

  it('serves HTTPS on the LAN address and plain HTTP on loopback', async () => {
    const secure = await getInsecure(`https://${LAN}:${server.port}/healthz`);
    expect(secure.status).toBe(200);
    expect(JSON.parse(secure.body)).toEqual({ status: 'ok', db: 'ok' });
    const local = await fetch(`http://127.0.0.1:${server.port}/healthz`, { redirect: 'manual' });
    expect(local.status).toBe(200);
    expect(await local.json()).toEqual({ status: 'ok', db: 'ok' });
  });
});
