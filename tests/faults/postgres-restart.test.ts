import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { api, setUpClinic, shutdown, sleep } from '../security/harness';
import { playSession, report } from './support';

const DATABASE_URL = process.env.TEST_DATABASE_URL;
if (!DATABASE_URL) {
  console.log(
    '[faults] SKIPPED PostgreSQL restart: TEST_DATABASE_URL is not set (source .ci/services)',
  );
}

/** The PostgreSQL cluster these machines run (see .ci/services). */
async function restartPostgres(): Promise<void> {
  const versions = execFileSync('ls', ['/usr/lib/postgresql']).toString().trim().split('\n');
  const version = versions.sort((a, b) => Number(a) - Number(b)).at(-1)!;
  // Asynchronously, so the headset keeps uploading while the database goes down and up.
  await promisify(execFile)('pg_ctlcluster', [version, 'main', 'restart']);
}

/**
 * PostgreSQL restarts while a headset uploads a trial every 100 ms: the server must not crash,
 * must not acknowledge a trial it did not commit, and the outbox must get every trial in.
 */
describe.skipIf(!DATABASE_URL)('PostgreSQL restarted under load', () => {
  it('keeps serving and loses nothing', async () => {
    let server: RunningServer | undefined;
    try {
      const env = { DATABASE_URL: DATABASE_URL! };
      server = await startServer({ env });
      const pid = server.process.pid;
      const clinic = await setUpClinic(server, `quinn-${Date.now().toString(36)}`, env);
      let healthDuring = 0;
      const readStatuses: Record<number, number> = {};
      const bump = (status: number) => (readStatuses[status] = (readStatuses[status] ?? 0) + 1);
      let restartMs = 0;
      const played = await playSession({
        headsetUrl: server.url,
        watcherUrl: server.url,
        clinic,
        trialEveryMs: 100,
        drainTimeoutMs: 45_000,
        inject: async () => {
          const started = Date.now();
          // Reads from the dashboard at the same time, so the pool is busy when the database goes.
          const readers = setInterval(() => {
            void api(server!.url, 'GET', '/api/patients', clinic.therapistToken).then(
              (a) => bump(a.status),
              () => bump(0),
            );
          }, 20);
          await restartPostgres().finally(() => clearInterval(readers));
          restartMs = Date.now() - started;
          healthDuring = (await api(server!.url, 'GET', '/healthz')).status;
          await sleep(1000);
        },
      });
      const t = played.tally;
      const health = (await api(server.url, 'GET', '/healthz')).status;
      report(
        'PostgreSQL restart under load',
        `pg_ctlcluster restart (${(restartMs / 1000).toFixed(1)} s) with a trial every 100 ms`,
        t,
        `dashboard reads meanwhile ${JSON.stringify(readStatuses)}, ` +
          `server log: ${(server.output().match(/handler failed/g) ?? []).length} handler errors, ` +
          `${(server.output().match(/uncaught exception/g) ?? []).length} uncaught exceptions; ` +
          `${played.counts.retries} uploads answered with a transient error and retried; healthz right after ${healthDuring}, at the end ${health}; outbox drained ${played.drainMs} ms after; ` +
          `server pid ${pid} -> ${server.process.exitCode === null ? server.process.pid : 'exited'}`,
      );
      expect(server.process.exitCode).toBeNull();
      expect(server.process.pid).toBe(pid);
      expect(health).toBe(200);
      // A terminated idle connection must be handled, not left to the last-resort handler.
      expect(server.output()).not.toMatch(/uncaught exception/);
      expect(t.ackedButMissing).toBe(0);
      expect(t.lost).toBe(0);
      expect(t.duplicated).toBe(0);
      expect(t.stored).toBe(t.finished);
      expect(played.counts.discarded).toEqual([]);
    } catch (err) {
      console.log(`[faults] failed: ${String(err)}`);
      console.log(
        `[faults] server log tail:\n${server?.output().split('\n').slice(-15).join('\n')}`,
      );
      throw err;
    } finally {
      await shutdown(server);
    }
  }, 120_000);
});
