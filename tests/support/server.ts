import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
/**
 * The server runs in this one process (Node with tsx's loader), not behind the tsx launcher, so a
 * SIGKILL reaches the server itself, as a real crash would.
 */
const SERVER_COMMAND = [process.execPath, ['--import', 'tsx', 'server/cli/start.ts']] as const;

export interface RunningServer {
  port: number;
  /** Plain HTTP on loopback, e.g. http://127.0.0.1:41234 */
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server printed, for diagnosing a failed test. */
  output(): string;
  /** SIGKILL, as a crash would, keeping DATA_DIR for a restart. */
  kill(): Promise<void>;
  /** Stops the server and removes its DATA_DIR (unless `keepData`). */
  close(options?: { keepData?: boolean }): Promise<void>;
}

export interface StartOptions {
  /** Reuse a DATA_DIR (e.g. to restart after a kill). */
  dataDir?: string;
  port?: number;
  env?: Record<string, string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/** Starts the real server (`server/cli/start.ts`) as its own process, waits for /healthz. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'reach-data-'));
  const port = options.port ?? (await freePort());
  let output = '';
  const child = spawn(SERVER_COMMAND[0], [...SERVER_COMMAND[1]], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      REACH_SKIP_BUILD: '1',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await waitForHealth(url, child, () => output);

  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    port,
    url,
    dataDir,
    process: child,
    output: () => output,
    kill: () => stop('SIGKILL'),
    async close({ keepData = false } = {}) {
      await stop('SIGTERM');
      if (!keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become healthy:\n${output()}`);
}

/** Creates a therapist account through the real CLI, as an administrator would. */
export async function addTherapist(
  server: { dataDir: string },
  username: string,
  password: string,
  env: Record<string, string> = {},
): Promise<void> {
  await new Promise<void>((resolveDone, reject) => {
    const child = spawn(TSX, ['server/cli/therapist-add.ts', username, '--password-stdin'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: server.dataDir, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.stdin.end(`${password}\n`);
    child.once('exit', (code) =>
      code === 0 ? resolveDone() : reject(new Error(`therapist:add failed (${code}): ${output}`)),
    );
  });
}

/** Signs in over the HTTP API and returns the bearer token. */
export async function login(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { token: string };
  return body.token;
}
