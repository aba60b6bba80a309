import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { loadConfig } from '../config';
import { ensurePrivateFile } from '../storage/private-files';

const USAGE = 'usage: tsx server/cli/backup.ts <destination file>';

/** Tables whose row counts the backup reports, so an operator sees what was saved. */
const TABLES = ['therapists', 'patients', 'devices', 'sessions', 'trials', 'audit_log'] as const;

/**
 * Online backup of the SQLite database while the server runs: `VACUUM INTO` writes a consistent
 * snapshot (committed transactions only, WAL included) without stopping writers. Unlike a page
 * copy it rebuilds the file from the live rows only, so no free page or deleted cell (an erased
 * patient in a database from before secure_delete) reaches the backup. The copy is written beside the destination and renamed into place only once it passed
 * an integrity check, so a failed backup never leaves a half-written file under the final name.
 */
async function main(): Promise<number> {
  const destinationArg = process.argv[2];
  if (destinationArg === undefined || destinationArg.startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  if (config.databaseUrl !== null) {
    console.error('DATABASE_URL is set: back up PostgreSQL with pg_dump instead.');
    return 2;
  }
  const source = join(config.dataDir, 'reach.sqlite');
  if (!existsSync(source)) {
    console.error(`No database at ${source} (DATA_DIR=${config.dataDir}).`);
    return 1;
  }
  const destination = resolve(destinationArg);
  if (existsSync(destination)) {
    console.error(`${destination} exists: choose a new file, a backup never overwrites one.`);
    return 1;
  }
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  // A backup holds everything the database does: readable by the server's user only.
  ensurePrivateFile(partial);

  const db = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    db.prepare('vacuum into ?').run(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }

  const copy = new BetterSqlite3(partial, { readonly: true });
  let counts: string;
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check of the copy failed: ${String(check)}`);
    counts = TABLES.map((table) => {
      const row = copy.prepare(`select count(*) as n from ${table}`).get() as { n: number };
      return `${table} ${row.n}`;
    }).join(', ');
  } catch (err) {
    copy.close();
    rmSync(partial, { force: true });
    throw err;
  }
  copy.close();
  renameSync(partial, destination);
  console.log(`Backed up ${source} to ${destination} (${counts}).`);
  console.log(
    'The token secret (DATA_DIR/token-secret) is not in the backup: restored without it, ' +
      'headsets pair again and therapists sign in again.',
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('Backup failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
