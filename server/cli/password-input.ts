import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export const MIN_PASSWORD_LENGTH = 10;

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

/**
 * The new password of `username`, from standard input (`--password-stdin`, for scripts) or asked
 * twice at the terminal; null (after saying why) when it differs or is too short.
 */
export async function readNewPassword(
  username: string,
  fromStdin: boolean,
): Promise<string | null> {
  let password: string;
  if (fromStdin) {
    password = await readStdin();
  } else {
    password = await prompt(`Password for ${username}: `);
    if ((await prompt('Repeat it: ')) !== password) {
      console.error('The passwords differ.');
      return null;
    }
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    console.error(`The password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
    return null;
  }
  return password;
}

export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;
