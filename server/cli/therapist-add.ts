import { join } from 'node:path';
import { hashPassword } from '../auth/passwords';
import { loadConfig } from '../config';
import { appendAudit } from '../audit/repository';
import { migrateToLatest, openDatabase } from '../storage/database';
import { createTherapist, findTherapistByUsername } from '../auth/therapist-repository';
import { readNewPassword, USERNAME_PATTERN } from './password-input';

const USAGE = 'usage: npm run therapist:add -- <username> [--password-stdin]';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const fromStdin = args.includes('--password-stdin');
  const username = args.find((a) => !a.startsWith('--'));
  if (username === undefined || !USERNAME_PATTERN.test(username)) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  const db = openDatabase({
    databaseUrl: config.databaseUrl,
    sqlitePath: join(config.dataDir, 'reach.sqlite'),
  });
  try {
    await migrateToLatest(db);
    // A typo must not silently replace someone's password: resetting is its own command.
    if ((await findTherapistByUsername(db, username)) !== undefined) {
      console.error(
        `${username} exists. To change the password: npm run therapist:reset-password -- ${username}`,
      );
      process.exitCode = 1;
      return;
    }
    const password = await readNewPassword(username, fromStdin);
    if (password === null) {
      process.exitCode = 1;
      return;
    }
    const created = await createTherapist(db, username, await hashPassword(password));
    await appendAudit(db, { actorKind: 'system', actorId: created.id, action: 'therapist.create' });
    console.log(`Therapist ${username} created.`);
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error('Could not add the therapist:', err instanceof Error ? err.message : err);
  process.exit(1);
});
