import { join } from 'node:path';
import {
  AccountError,
  disableTherapist,
  enableTherapist,
  resetPassword,
  transferPatients,
} from '../auth/accounts';
import { hashPassword } from '../auth/passwords';
import { loadConfig } from '../config';
import { migrateToLatest, openDatabase, type Db } from '../storage/database';
import { readNewPassword, USERNAME_PATTERN } from './password-input';

/**
 * The administrator's account commands (package.json scripts):
 *   npm run therapist:reset-password -- <username> [--password-stdin]
 *   npm run therapist:disable -- <username>
 *   npm run therapist:enable -- <username>
 *   npm run therapist:transfer -- <from username> <to username>
 * Run them beside the server (same DATA_DIR or DATABASE_URL); open dashboards of an account whose
 * access is cut close within seconds on every server process.
 */
const COMMANDS: Record<
  string,
  {
    usage: string;
    names: number;
    run(db: Db, names: string[], fromStdin: boolean): Promise<string | null>;
  }
> = {
  'reset-password': {
    usage: 'npm run therapist:reset-password -- <username> [--password-stdin]',
    names: 1,
    async run(db, [username], fromStdin) {
      const password = await readNewPassword(username!, fromStdin);
      if (password === null) return null;
      const { tokensRevoked } = await resetPassword(db, username!, await hashPassword(password));
      return `Password of ${username} changed; ${tokensRevoked} sign-in(s) ended.`;
    },
  },
  disable: {
    usage: 'npm run therapist:disable -- <username>',
    names: 1,
    async run(db, [username]) {
      const { tokensRevoked, wasDisabled } = await disableTherapist(db, username!);
      return `${username} ${wasDisabled ? 'was already' : 'is now'} disabled; ${tokensRevoked} sign-in(s) ended.`;
    },
  },
  enable: {
    usage: 'npm run therapist:enable -- <username>',
    names: 1,
    async run(db, [username]) {
      const { wasDisabled } = await enableTherapist(db, username!);
      return wasDisabled ? `${username} can sign in again.` : `${username} was not disabled.`;
    },
  },
  transfer: {
    usage: 'npm run therapist:transfer -- <from username> <to username>',
    names: 2,
    async run(db, [from, to]) {
      const { patients } = await transferPatients(db, from!, to!);
      return `${patients} patient(s) of ${from} now belong to ${to}.`;
    },
  },
};

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  const spec = command === undefined ? undefined : COMMANDS[command];
  if (spec === undefined) {
    console.error(
      `usage:\n${Object.values(COMMANDS)
        .map((c) => `  ${c.usage}`)
        .join('\n')}`,
    );
    return 2;
  }
  const fromStdin = args.includes('--password-stdin');
  const names = args.filter((a) => !a.startsWith('--'));
  if (names.length !== spec.names || !names.every((n) => USERNAME_PATTERN.test(n))) {
    console.error(`usage: ${spec.usage}`);
    return 2;
  }
  const config = loadConfig();
  const db = openDatabase({
    databaseUrl: config.databaseUrl,
    sqlitePath: join(config.dataDir, 'reach.sqlite'),
  });
  try {
    await migrateToLatest(db);
    const message = await spec.run(db, names, fromStdin);
    if (message === null) return 1;
    console.log(message);
    return 0;
  } catch (err) {
    if (err instanceof AccountError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('The account command failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
