import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { setUpClinic, type Clinic } from '../support/clinic';
import { api, connect, createPatient, makeTrial, request } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');

function runBackup(dataDir: string, destination: string): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/cli/backup.ts', destination],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolveRun(output) : reject(new Error(`backup failed (${code}): ${output}`)),
    );
  });
}

/** Which of the markers occur anywhere in the raw bytes of the files (as `grep -a` would). */
function markersIn(paths: readonly string[], markers: readonly string[]): string[] {
  const found = new Set<string>();
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    for (const marker of markers) if (bytes.includes(Buffer.from(marker))) found.add(marker);
  }
  return [...found].sort();
}

describe('erasing a patient reaches the bytes on disk', () => {
  let server: RunningServer;
  let clinic: Clinic;
  const scratch = mkdtempSync(join(tmpdir(), 'reach-erasure-'));

  beforeAll(async () => {
    server = await startServer();
    clinic = await setUpClinic(server, 'erin');
  });
  afterAll(async () => {
    await server?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('leaves the label, notes, trials and audit values in neither the database, its WAL nor a later backup', async () => {
    const tag = randomBytes(6).toString('hex');
    const markers = [`LABEL${tag}`, `NOTES${tag}`, `NEWNOTES${tag}`, `REASON${tag}`].sort();
    const patient = await createPatient(server.url, clinic.therapistToken, `ERASE-${tag}`, {
      label: `LABEL${tag}`,
      notes: `NOTES${tag}`,
    });
    // The change is audited with old and new values: the audit JSON holds both notes.
    const patched = await api(
      server.url,
      'PATCH',
      `/api/patients/${patient.id}`,
      clinic.therapistToken,
      { notes: `NEWNOTES${tag}` },
    );
    expect(patched.status).toBe(200);
    const code = await api<{ code: string }>(
      server.url,
      'POST',
      `/api/patients/${patient.id}/pairing-code`,
      clinic.therapistToken,
    );
    const paired = await api<{ deviceToken: string }>(server.url, 'POST', '/api/pair', null, {
      code: code.body.code,
    });
    const device = await connect(server.url, paired.body.deviceToken);
    const sessionId = randomUUID();
    await request(device, 'session:start', {
      sessionId,
      mode: 'live',
      startedAt: new Date().toISOString(),
    });
    for (let n = 1; n <= 5; n++) {
      const trial = { ...makeTrial(sessionId, n, 400), reason: `REASON${tag}` };
      expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
    }
    device.close();

    const files = ['reach.sqlite', 'reach.sqlite-wal'].map((f) => join(server.dataDir, f));
    // The check can see the markers at all: before erasure they are on disk.
    expect(markersIn(files, markers)).toEqual(markers);

    const erased = await api(
      server.url,
      'DELETE',
      `/api/patients/${patient.id}`,
      clinic.therapistToken,
    );
    expect(erased.status).toBe(200);

    const onDisk = markersIn(files, markers);
    const backup = join(scratch, 'after-erasure.sqlite');
    await runBackup(server.dataDir, backup);
    const inBackup = markersIn([backup], markers);
    console.log(
      `[erasure] after erasure: ${onDisk.length} markers in the database and WAL, ${inBackup.length} in the backup`,
    );
    expect(onDisk).toEqual([]);
    expect(inBackup).toEqual([]);
    expect((statSync(backup).mode & 0o777).toString(8)).toBe('600');
    // The other patient of the clinic is untouched.
    expect(
      (await api(server.url, 'GET', `/api/patients/${clinic.patientId}`, clinic.therapistToken))
        .status,
    ).toBe(200);
  });
});
