import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { crash, setUpClinic, shutdown, waitFor } from '../security/harness';
import { CuttableLink, playSession, report } from './support';

const REDIS_URL = process.env.TEST_REDIS_URL;
if (!REDIS_URL) {
  console.log(
    '[faults] SKIPPED two processes with Redis: TEST_REDIS_URL is not set (source .ci/services)',
  );
}

/**
 * Two server processes of one clinic, joined by the Redis adapter and sharing one database. The
 * headset reaches them through a balancer (the first that answers); the therapist is on the other.
 * The headset's process is killed: the headset reconnects to the survivor and carries on.
 */
describe.skipIf(!REDIS_URL)('two processes with Redis, one killed', () => {
  it("moves the killed process's headset to the other, losing nothing", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'reach-redis-'));
    const env: Record<string, string> = {
      REDIS_URL: REDIS_URL!,
      TOKEN_SECRET: 'shared-secret-of-the-clinic',
    };
    if (process.env.TEST_DATABASE_URL) env.DATABASE_URL = process.env.TEST_DATABASE_URL;
    const servers: RunningServer[] = [];
    let link: CuttableLink | undefined;
    try {
      servers.push(await startServer({ dataDir, env }));
      servers.push(await startServer({ dataDir, env }));
      const [first, second] = servers as [RunningServer, RunningServer];
      const suffix = Date.now().toString(36);
      const clinic = await setUpClinic(second, `pia-${suffix}`, env);
      link = await CuttableLink.open([first.port, second.port]);
      let crossProcessTrials = 0;
      const played = await playSession({
        headsetUrl: link.url,
        watcherUrl: second.url,
        clinic,
        trialEveryMs: 200,
        inject: async ({ watcher }) => {
          // The relay crosses processes (headset on the first, therapist on the second) before the kill.
          await waitFor(
            () => watcher.trialIds.length > 3 && watcher.poses > 10,
            10_000,
            'relay via Redis',
          );
          crossProcessTrials = watcher.trialIds.length;
          await crash(first);
          const poses = watcher.poses;
          await waitFor(
            () => watcher.poses > poses + 10,
            20_000,
            'poses through the surviving process',
          );
        },
      });
      const t = played.tally;
      report(
        'Redis, 2 processes, one SIGKILLed',
        "SIGKILL of the headset's process; the balancer sends reconnects to the other",
        t,
        `${crossProcessTrials} trials relayed across processes before the kill, ${new Set(played.watcher.trialIds).size} in all; ` +
          `database ${env.DATABASE_URL ? 'PostgreSQL' : 'SQLite shared by both'}`,
      );
      expect(crossProcessTrials).toBeGreaterThan(0);
      expect(t.lost).toBe(0);
      expect(t.duplicated).toBe(0);
      expect(t.ackedButMissing).toBe(0);
      expect(t.stored).toBe(t.finished);
      expect(played.counts.discarded).toEqual([]);
    } finally {
      await link?.close();
      for (const s of servers) await shutdown(s, true);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
