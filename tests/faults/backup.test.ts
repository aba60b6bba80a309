import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, type RunningServer } from '../support/server';
import {
  api,
  connect,
  makeTrial,
  PASSWORD,
  request,
  setUpClinic,
  shutdown,
  type Clinic,
} from '../security/harness';

const ROOT = resolve(import.meta.dirname, '../..');

function runBackup(
  dataDir: string,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['server/cli/backup.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolveRun({ code, output }));
  });
}

/** server/cli/backup.ts: an online, consistent copy of the SQLite database under write load. */
describe('online SQLite backup', () => {
  let server: RunningServer;
  let clinic: Clinic;
  const scratch = mkdtempSync(join(tmpdir(), 'reach-backup-'));

  beforeAll(async () => {
    server = await startServer();
    clinic = await setUpClinic(server, 'rita');
  });
  afterAll(async () => {
    await shutdown(server);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('copies every committed trial while trials are being written, and the copy restores', async () => {
    const device = await connect(server.url, clinic.deviceToken);
    const sessionId = randomUUID();
    await request(device, 'session:start', {
      sessionId,
      mode: 'live',
      startedAt: new Date().toISOString(),
    });
    let acked = 0;
    let writing = true;
    const writer = (async () => {
      for (let n = 1; writing; n++) {
        const answer = await request(device, 'trial:submit', makeTrial(sessionId, n, 900));
        if (answer.ok) acked++;
      }
    })();
    while (acked < 20) await new Promise((r) => setTimeout(r, 50));

    const destination = join(scratch, 'reach-backup.sqlite');
    const ackedBefore = acked;
    const run = await runBackup(server.dataDir, [destination]);
    const ackedAfter = acked;
    writing = false;
    await writer;
    device.close();

    expect(run.code).toBe(0);
    expect(existsSync(`${destination}.partial`)).toBe(false);
    const copy = new BetterSqlite3(destination, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = copy
      .prepare('select samples_json from trials where session_id = ?')
      .all(sessionId) as { samples_json: string }[];
    copy.close();
    console.log(
      `[backup] during a write load of 900-sample trials: ${ackedBefore} acknowledged before, ` +
        `${ackedAfter} after the backup ran; the copy holds ${rows.length}, all complete. ${run.output.trim()}`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(ackedBefore);
    expect(rows.length).toBeLessThanOrEqual(ackedAfter + 1);
    for (const row of rows) expect(JSON.parse(row.samples_json).t).toHaveLength(900);

    // Restored into a fresh data directory with the clinic's token secret, it serves as before.
    const restoredDir = join(scratch, 'restored');
    mkdirSync(restoredDir);
    copyFileSync(destination, join(restoredDir, 'reach.sqlite'));
    copyFileSync(join(server.dataDir, 'token-secret'), join(restoredDir, 'token-secret'));
    const restored = await startServer({ dataDir: restoredDir });
    try {
      const token = await login(restored.url, 'rita', PASSWORD);
      const detail = await api<{ trials: unknown[] }>(
        restored.url,
        'GET',
        `/api/sessions/${sessionId}`,
        token,
      );
      expect(detail.body.trials).toHaveLength(rows.length);
      expect((await api(restored.url, 'GET', '/api/device/me', clinic.deviceToken)).status).toBe(
        200,
      );
    } finally {
      await shutdown(restored);
    }
  });

  it('never overwrites a file, and explains its usage', async () => {
    const existing = join(scratch, 'exists.sqlite');
    copyFileSync(join(server.dataDir, 'reach.sqlite'), existing);
    const refused = await runBackup(server.dataDir, [existing]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('never overwrites');
    const usage = await runBackup(server.dataDir, []);
    expect(usage.code).toBe(2);
    expect(usage.output).toContain('usage:');
    const empty = await runBackup(join(scratch, 'nothing-here'), [join(scratch, 'x.sqlite')]);
    expect(empty.code).toBe(1);
    expect(empty.output).toContain('No database');
  });
});
