import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_BYTE_TIMEOUT_MS } from '../../server/tls/dual-protocol';
import { startServer, type RunningServer } from '../support/server';
import { api, therapistWithToken } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');

/** How long a raw TCP connection to the server stays open when the client sends `bytes` only. */
function secondsUntilClosed(port: number, bytes: Buffer | null, giveUpMs: number): Promise<number> {
  return new Promise((resolveSeconds, reject) => {
    const started = Date.now();
    const socket = netConnect(port, '127.0.0.1', () => {
      if (bytes !== null) socket.write(bytes);
    });
    socket.on('data', () => undefined);
    socket.once('error', () => undefined);
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${giveUpMs} ms`));
    }, giveUpMs);
    socket.once('close', () => {
      clearTimeout(giveUp);
      resolveSeconds((Date.now() - started) / 1000);
    });
  });
}

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('hardening of a running server', () => {
  let server: RunningServer;
  let parent: string;
  let token: string;

  beforeAll(async () => {
    // DATA_DIR does not exist yet: the server creates it, whatever the umask (usually 022).
    parent = mkdtempSync(join(tmpdir(), 'reach-hardening-'));
    server = await startServer({
      dataDir: join(parent, 'data'),
      env: { ALLOWED_ORIGINS: 'https://tablet.clinic.example' },
    });
    token = await therapistWithToken(server, 'hana');
  });
  afterAll(async () => {
    await server?.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('closes a connection that sends nothing, and one that stalls after its first TLS byte', async () => {
    const giveUpMs = FIRST_BYTE_TIMEOUT_MS + 5_000;
    const [silent, stalledTls] = await Promise.all([
      secondsUntilClosed(server.port, null, giveUpMs),
      secondsUntilClosed(server.port, Buffer.from([0x16]), giveUpMs),
    ]);
    console.log(
      `[hardening] silent connection closed after ${silent} s, stalled TLS ${stalledTls} s`,
    );
    expect(silent).toBeGreaterThanOrEqual(FIRST_BYTE_TIMEOUT_MS / 1000 - 0.5);
    expect(silent).toBeLessThan(FIRST_BYTE_TIMEOUT_MS / 1000 + 3);
    expect(stalledTls).toBeLessThan(FIRST_BYTE_TIMEOUT_MS / 1000 + 3);
    // The server still answers.
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
  }, 30_000);

  it('keeps its data directory 0700 and the database, WAL, secret, certificate and key 0600', () => {
    const dir = server.dataDir;
    const modes = Object.fromEntries(
      ['.', 'reach.sqlite', 'reach.sqlite-wal', 'token-secret', 'tls-cert.pem', 'tls-key.pem'].map(
        (name) => [name, modeOf(join(dir, name))],
      ),
    );
    expect(modes).toEqual({
      '.': '700',
      'reach.sqlite': '600',
      'reach.sqlite-wal': '600',
      'token-secret': '600',
      'tls-cert.pem': '600',
      'tls-key.pem': '600',
    });
  });

  it('answers the API with Cache-Control: no-store', async () => {
    for (const [path, auth] of [
      ['/api/patients', token],
      ['/api/patients', null],
      ['/api/nothing-here', token],
      ['/healthz', null],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, {
        headers: auth === null ? {} : { authorization: `Bearer ${auth}` },
      });
      expect([path, response.headers.get('cache-control')]).toEqual([path, 'no-store']);
    }
  });

  it('lets pages connect only to their own origin and ALLOWED_ORIGINS, not to any ws:/wss: host', async () => {
    const response = await fetch(`${server.url}/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .find((parts) => parts[0] === name)
        ?.slice(1);
    expect(directive('connect-src')).toEqual([
      "'self'",
      'https://tablet.clinic.example',
      'wss://tablet.clinic.example',
      'blob:',
      'data:',
    ]);
    // blob: stays: the text renderer's workers importScripts blob: URLs (tests/e2e/game.test.ts).
    expect(directive('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", 'blob:']);
  });
});

/** Runs the real start command with `env`; resolves with its exit code and output. */
function startWith(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'reach-config-'));
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/start.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        REACH_SKIP_BUILD: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
      resolveRun({ code, output });
    });
  });
}

describe('numeric settings', () => {
  it.each([
    [
      'SESSION_TTL_MINUTES',
      '0',
      'SESSION_TTL_MINUTES must be a whole number from 1 to 35791 (got "0")',
    ],
    [
      'SESSION_TTL_MINUTES',
      '35792',
      'SESSION_TTL_MINUTES must be a whole number from 1 to 35791 (got "35792")',
    ],
    [
      'SESSION_TTL_MINUTES',
      '1e3',
      'SESSION_TTL_MINUTES must be a whole number from 1 to 35791 (got "1e3")',
    ],
    [
      'PAIRING_TTL_SECONDS',
      '0',
      'PAIRING_TTL_SECONDS must be a whole number from 1 to 3600 (got "0")',
    ],
    ['PORT', '70000', 'PORT must be a whole number from 0 to 65535 (got "70000")'],
  ])('refuses %s=%s at start with a clear message', async (name, value, message) => {
    const run = await startWith({ [name]: value });
    expect(run.code).toBe(1);
    expect(run.output).toContain(`Reach could not start: ${message}`);
  });
});
