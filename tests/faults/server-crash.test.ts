import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { crash, setUpClinic, shutdown, sleep, waitFor } from '../security/harness';
import { playSession, report } from './support';

/**
 * The server process dies (SIGKILL, as a crash or the OOM killer would) mid-session and comes back
 * on the same data directory and port. The headset's outbox resends; the therapist's view returns
 * by itself (a reconnecting socket that re-watches, as the dashboard does).
 */
describe('server killed mid-session', () => {
  it('loses and duplicates no trial, and the live view comes back', async () => {
    let server: RunningServer = await startServer();
    const dataDir = server.dataDir;
    const port = server.port;
    try {
      const clinic = await setUpClinic(server, 'olga');
      let posesAfterRestart = 0;
      let restartMs = 0;
      const played = await playSession({
        headsetUrl: server.url,
        watcherUrl: server.url,
        clinic,
        trialEveryMs: 200,
        inject: async ({ watcher }) => {
          const watchesBefore = watcher.watches;
          await crash(server);
          const down = Date.now();
          await sleep(2000);
          server = await startServer({ dataDir, port });
          restartMs = Date.now() - down;
          const posesBefore = watcher.poses;
          await waitFor(
            () => watcher.watches > watchesBefore,
            15_000,
            'the therapist to watch again',
          );
          await waitFor(
            () => watcher.poses > posesBefore + 10,
            15_000,
            'poses to reach the therapist again',
          );
          await waitFor(
            () => watcher.lastLive?.deviceConnected === true,
            15_000,
            'the live view to show the headset',
          );
          posesAfterRestart = watcher.poses - posesBefore;
        },
      });
      const t = played.tally;
      report(
        'server SIGKILL + restart',
        `SIGKILL of the server process, back after ${(restartMs / 1000).toFixed(1)} s on the same data dir`,
        t,
        `${played.finishedDuringFault} finished meanwhile, outbox drained ${played.drainMs} ms after the live view returned, ` +
          `therapist watched ${played.watcher.watches} times, ${posesAfterRestart}+ poses after restart`,
      );
      expect(played.finishedDuringFault).toBeGreaterThan(0);
      expect(t.lost).toBe(0);
      expect(t.duplicated).toBe(0);
      expect(t.ackedButMissing).toBe(0);
      expect(t.stored).toBe(t.finished);
      expect(played.counts.discarded).toEqual([]);
      expect(played.watcher.watches).toBeGreaterThanOrEqual(2);
    } finally {
      await shutdown(server);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
