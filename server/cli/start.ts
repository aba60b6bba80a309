import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createReachServer } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { countTherapists } from '../auth/therapist-repository';
import { lanAddresses } from '../tls/certificate';

const ROOT = resolve(import.meta.dirname, '../..');

function buildClientIfMissing(clientDir: string): void {
  if (existsSync(join(clientDir, 'index.html'))) return;
  console.log('Building the client pages (first start)...');
  const result = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) console.error('The client build failed: the API still runs.');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  if (process.env.REACH_SKIP_BUILD !== '1') buildClientIfMissing(config.clientDir);
  const server = createReachServer(config, { log });
  await server.listen();
  const port = server.port;
  const local = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  console.log(`Reach is running on port ${port} (HTTPS and HTTP).`);
  console.log(`  Patient page:   http://${local}:${port}/`);
  console.log(`  Therapist page: http://${local}:${port}/therapist/`);
  for (const ip of lanAddresses()) {
    console.log(`  Headset (LAN):  https://${ip}:${port}/  (accept the certificate warning once)`);
  }
  if ((await countTherapists(server.context.db)) === 0) {
    console.log('No therapist account yet. Create one with: npm run therapist:add -- <username>');
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // The server never crashes on one bad request; log anything that escapes and keep serving.
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { err: String(err) }));
  process.on('uncaughtException', (err) => log.error('uncaught exception', { err: String(err) }));
}

main().catch((err: unknown) => {
  console.error('Reach could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
