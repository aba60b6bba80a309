import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createReachServer } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';

const ROOT = resolve(import.meta.dirname, '../..');

/** The API and Socket.IO on PORT, and Vite (hot reload) in front of it proxying /api and /socket.io. */
async function main(): Promise<void> {
  const config = loadConfig();
  const server = createReachServer(config, { log: createLogger(config.logLevel) });
  await server.listen();
  const apiUrl = `http://127.0.0.1:${server.port}`;
  console.log(`API and Socket.IO on ${apiUrl}; Vite follows.`);
  const vite = spawn('npx', ['vite', '--host'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, REACH_API_URL: apiUrl },
  });
  const stop = () => {
    vite.kill('SIGTERM');
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  vite.on('exit', (code) => {
    void server.close().then(() => process.exit(code ?? 0));
  });
}

main().catch((err: unknown) => {
  console.error('Reach dev could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
