import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join, resolve } from 'node:path';
import { freePort } from './server';

const ROOT = resolve(import.meta.dirname, '../..');
export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
/** The proxy configuration docs/deploy.md ships: the test fills in the same file. */
export const NGINX_TEMPLATE = join(ROOT, 'deploy/nginx/reach.conf');

export const nginxAvailable = (): boolean => existsSync(NGINX);

/** Fills the template's `{{name}}` placeholders; every one must be given. */
export function renderNginxTemplate(values: Record<string, string>): string {
  return readFileSync(NGINX_TEMPLATE, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {{${name}}}`);
    return value;
  });
}

/** A throwaway self-signed certificate for 127.0.0.1 and localhost, made with openssl. */
export function selfSignedCertificate(dir: string): {
  certPath: string;
  keyPath: string;
  ca: string;
} {
  const certPath = join(dir, 'proxy.crt');
  const keyPath = join(dir, 'proxy.key');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  return { certPath, keyPath, ca: readFileSync(certPath, 'utf8') };
}

export interface RunningProxy {
  /** https://127.0.0.1:<port> */
  url: string;
  port: number;
  ca: string;
  process: ChildProcess;
  errorLog(): string;
  close(): Promise<void>;
}

/**
 * Debian's nginx as an unprivileged foreground process: a main configuration in `dir` (pid,
 * logs and temp paths there) around the deploy template, TLS on a free loopback port, round-robin
 * to `upstreamPorts`.
 */
export async function startNginx(dir: string, upstreamPorts: number[]): Promise<RunningProxy> {
  mkdirSync(join(dir, 'temp'), { recursive: true });
  const port = await freePort();
  const cert = selfSignedCertificate(dir);
  const site = renderNginxTemplate({
    upstream_servers: upstreamPorts.map((p) => `    server 127.0.0.1:${p};`).join('\n'),
    listen: `127.0.0.1:${port}`,
    server_name: 'localhost',
    tls_certificate: cert.certPath,
    tls_certificate_key: cert.keyPath,
  });
  writeFileSync(join(dir, 'reach.conf'), site);
  const temp = (name: string) => `${name}_temp_path ${join(dir, 'temp', name)};`;
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      // One worker, so round-robin alternates strictly over the upstreams.
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
      `  include ${join(dir, 'reach.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const child = spawn(
    NGINX,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const errorLog = () => {
    try {
      return output + readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return output;
    }
  };
  const url = `https://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited:\n${errorLog()}`);
    const answer = await httpsJson({ url, ca: cert.ca }, 'GET', '/healthz').catch(() => null);
    if (answer?.status === 200) break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer:\n${errorLog()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    ca: cert.ca,
    process: child,
    errorLog,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One HTTPS call that trusts only `ca`; a JSON answer is parsed. */
export function httpsJson<T = unknown>(
  proxy: { url: string; ca: string },
  method: string,
  path: string,
  token?: string | null,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolveAnswer, reject) => {
    const req = request(
      `${proxy.url}${path}`,
      {
        method,
        ca: proxy.ca,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload !== undefined
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // text stays text
          }
          resolveAnswer({ status: res.statusCode ?? 0, body: parsed as T });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Established TCP connections accepted on each loopback port (the server side, from
 * /proc/net/tcp): with nginx keeping no idle upstream connections, a server process's count is
 * the number of WebSockets the proxy holds open to it.
 */
export function establishedConnections(ports: number[]): Map<number, number> {
  const counts = new Map(ports.map((p) => [p, 0]));
  const table = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1);
  for (const line of table) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || fields[3] !== '01') continue;
    const port = parseInt(fields[1]!.split(':')[1]!, 16);
    if (counts.has(port)) counts.set(port, counts.get(port)! + 1);
  }
  return counts;
}
