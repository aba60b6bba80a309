import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { hashPassword } from '../auth/passwords';
import { loadConfig } from '../config';
import { appendAudit } from '../storage/audit';
import { migrateToLatest, openDatabase } from '../storage/database';
import {
  createTherapist,
  findTherapistByUsername,
  setTherapistPassword,
} from '../storage/therapists';

const MIN_PASSWORD_LENGTH = 10;
const USAGE = 'usage: npm run therapist:add -- <username> [--password-stdin]';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks without echoing the password to the terminal. */
async function prompt(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const fromStdin = args.includes('--password-stdin');
  const username = args.find((a) => !a.startsWith('--'));
  if (username === undefined || !/^[A-Za-z0-9._@-]{1,64}$/.test(username)) {
    console.error(USAGE);
    process.exit(2);
  }
  let password: string;
  if (fromStdin) {
    password = await readStdin();
  } else {
    password = await prompt(`Password for ${username}: `);
    if ((await prompt('Repeat it: ')) !== password) {
      console.error('The passwords differ.');
      process.exit(1);
    }
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    console.error(`The password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
    process.exit(1);
  }
  const config = loadConfig();
  const db = openDatabase({
    databaseUrl: config.databaseUrl,
    sqlitePath: join(config.dataDir, 'reach.sqlite'),
  });
  try {
    await migrateToLatest(db);
    const hash = await hashPassword(password);
    const existing = await findTherapistByUsername(db, username);
    if (existing !== undefined) {
      await setTherapistPassword(db, existing.id, hash);
      await appendAudit(db, {
        actorKind: 'system',
        actorId: existing.id,
        action: 'therapist.password_reset',
      });
      console.log(`Password of ${username} changed.`);
    } else {
      const created = await createTherapist(db, username, hash);
      await appendAudit(db, {
        actorKind: 'system',
        actorId: created.id,
        action: 'therapist.create',
      });
      console.log(`Therapist ${username} created.`);
    }
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error('Could not add the therapist:', err instanceof Error ? err.message : err);
  process.exit(1);
});
