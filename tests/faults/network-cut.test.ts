import { describe, expect, it } from 'vitest';
import { startServer } from '../support/server';
import { setUpClinic, shutdown, sleep, waitFor } from '../security/harness';
import { DurableQueue, newSessionId, SimulatedHeadset } from './simulated-headset';
import { CuttableLink, report, tally, TherapistWatcher } from './support';

/**
 * The headset's network drops mid-session (and the page reloads while offline). The game keeps
 * finishing trials into its outbox; once the network is back every trial is stored exactly once.
 *
 * The headset is simulated in Node (tests/faults/simulated-headset.ts), running the game's own
 * outbox rules; the cut is a real TCP reset on a loopback hop between headset and server.
 */

const TRIAL_EVERY_MS = 250;

async function networkCut(cutMs: number, label: string) {
  const server = await startServer();
  const cleanup: (() => unknown)[] = [() => shutdown(server)];
  try {
    const clinic = await setUpClinic(server, 'nora');
    const link = await CuttableLink.open(server.port);
    cleanup.unshift(() => link.close());
    const watcher = new TherapistWatcher(server.url, clinic.therapistToken, clinic.patientId);
    cleanup.unshift(() => watcher.close());

    const queue = new DurableQueue();
    const counts = SimulatedHeadset.newCounts();
    const sessionId = newSessionId();
    let headset = new SimulatedHeadset(link.url, clinic.deviceToken, queue, counts, sessionId);
    cleanup.unshift(() => headset.close());
    headset.startSession();
    const game = setInterval(() => headset.finishTrial(), TRIAL_EVERY_MS);
    cleanup.unshift(() => clearInterval(game));

    await sleep(2000);
    const posesBefore = watcher.poses;
    link.cut();
    const finishedAtCut = counts.finished.length;
    await sleep(cutMs / 2);
    // The page reloads while offline: a new page, a new socket, the same IndexedDB queue.
    headset.close();
    headset = new SimulatedHeadset(link.url, clinic.deviceToken, queue, counts, sessionId);
    await sleep(cutMs / 2);
    const finishedDuringCut = counts.finished.length - finishedAtCut;
    const queuedAtRestore = queue.items.length;
    link.restore();
    await sleep(2000);
    clearInterval(game);
    headset.endSession();
    await waitFor(() => queue.items.length === 0, 30_000, 'the outbox to drain');
    await sleep(300);

    const t = await tally(server.url, clinic.therapistToken, sessionId, counts);
    report(
      label,
      `TCP reset + ${cutMs / 1000} s offline + page reload while offline`,
      t,
      `${finishedDuringCut} finished while offline, ${queuedAtRestore} queued at restore, ` +
        `watcher saw ${watcher.poses - posesBefore} poses after the cut and ${new Set(watcher.trialIds).size} trials live`,
    );
    expect(finishedDuringCut).toBeGreaterThan(0);
    expect(queuedAtRestore).toBeGreaterThanOrEqual(finishedDuringCut);
    expect(t.lost).toBe(0);
    expect(t.duplicated).toBe(0);
    expect(t.ackedButMissing).toBe(0);
    expect(t.stored).toBe(t.finished);
    expect(counts.discarded).toEqual([]);
    expect(watcher.poses).toBeGreaterThan(posesBefore);
  } finally {
    for (const step of cleanup) await step();
  }
}

describe('headset network cut', () => {
  it(
    '5 s offline with a reload: nothing lost, nothing duplicated',
    () => networkCut(5000, 'network cut 5 s'),
    90_000,
  );

  it(
    '2 minutes offline with a reload: nothing lost, nothing duplicated',
    () => networkCut(120_000, 'network cut 2 min'),
    240_000,
  );
});
