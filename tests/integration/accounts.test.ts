import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_WATCH_INTERVAL_MS } from '../../server/auth/account-watch';
import { startServer, type RunningServer } from '../support/server';
import {
  api,
  connect,
  createPatient,
  PASSWORD,
  request,
  therapistWithToken,
  type TestSocket,
} from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');
const NEW_PASSWORD = 'a completely new passphrase';

/** Runs `npm run therapist:<command>` as an administrator would (its own process). */
function account(
  server: RunningServer,
  args: string[],
  stdin = '',
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/cli/therapist-account.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: server.dataDir },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.stdin.end(stdin);
    child.once('exit', (code) => resolveRun({ code, output }));
  });
}

const loginStatus = async (server: RunningServer, username: string, password: string) =>
  (await api(server.url, 'POST', '/api/auth/login', null, { username, password })).status;

/** Resolves with the disconnect reason and how long after `since` it came. */
function disconnection(
  socket: TestSocket,
  since: () => number,
): Promise<{ reason: string; ms: number }> {
  return new Promise((resolveReason) =>
    socket.once('disconnect', (reason) => resolveReason({ reason, ms: Date.now() - since() })),
  );
}

/** The account's own audit entries (they name no patient, so only the database shows them). */
function accountAudit(server: RunningServer, username: string): string[] {
  const db = new BetterSqlite3(join(server.dataDir, 'reach.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare(
        `select action from audit_log where actor_id = (select id from therapists where username = ?)
         and action like 'therapist.%' order by seq`,
      )
      .all(username) as { action: string }[];
    return rows.map((r) => r.action);
  } finally {
    db.close();
  }
}

describe('therapist accounts: reset, disable, hand over', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a password reset ends every sign-in of the account: its tokens and its open sockets', async () => {
    const first = await therapistWithToken(server, 'ada');
    const second = await api<{ token: string }>(server.url, 'POST', '/api/auth/login', null, {
      username: 'ada',
      password: PASSWORD,
    });
    const patient = await createPatient(server.url, first, 'ADA-1');
    const dashboard = await connect(server.url, second.body.token);
    expect(await request(dashboard, 'patient:watch', { patientId: patient.id })).toMatchObject({
      ok: true,
    });
    let resetAt = 0;
    const closed = disconnection(dashboard, () => resetAt);
    resetAt = Date.now();
    const reset = await account(
      server,
      ['reset-password', 'ada', '--password-stdin'],
      `${NEW_PASSWORD}\n`,
    );
    expect(reset).toEqual({ code: 0, output: 'Password of ada changed; 2 sign-in(s) ended.\n' });
    // HTTP refuses both old tokens at once.
    for (const token of [first, second.body.token]) {
      expect((await api(server.url, 'GET', '/api/patients', token)).status).toBe(401);
    }
    const { reason, ms } = await closed;
    console.log(`[accounts] socket of the reset account closed ${ms} ms after the command started`);
    expect(reason).toBe('io server disconnect');
    expect(ms).toBeLessThan(ACCOUNT_WATCH_INTERVAL_MS + 5_000);
    await expect(connect(server.url, second.body.token)).rejects.toThrow('unauthenticated');
    expect(await loginStatus(server, 'ada', PASSWORD)).toBe(401);
    expect(await loginStatus(server, 'ada', NEW_PASSWORD)).toBe(200);
    expect(accountAudit(server, 'ada')).toEqual(['therapist.create', 'therapist.password_reset']);
  });

  it('a disabled account cannot sign in and its open sockets close; enabled, it signs in again', async () => {
    const token = await therapistWithToken(server, 'dora');
    const dashboard = await connect(server.url, token);
    const closed = disconnection(dashboard, () => 0);
    expect(await account(server, ['disable', 'dora'])).toEqual({
      code: 0,
      output: 'dora is now disabled; 1 sign-in(s) ended.\n',
    });
    expect((await api(server.url, 'GET', '/api/patients', token)).status).toBe(401);
    expect((await closed).reason).toBe('io server disconnect');
    expect(await loginStatus(server, 'dora', PASSWORD)).toBe(401);
    expect(await account(server, ['enable', 'dora'])).toEqual({
      code: 0,
      output: 'dora can sign in again.\n',
    });
    expect(await loginStatus(server, 'dora', PASSWORD)).toBe(200);
    expect(accountAudit(server, 'dora')).toEqual([
      'therapist.create',
      'therapist.disable',
      'therapist.enable',
    ]);
  });

  it("hands a leaving therapist's patients to another, audited, and the former one stops watching", async () => {
    const leaving = await therapistWithToken(server, 'lea');
    const staying = await therapistWithToken(server, 'sam');
    const patient = await createPatient(server.url, leaving, 'LEA-1');
    await createPatient(server.url, staying, 'SAM-1');
    const clash = await createPatient(server.url, leaving, 'SAM-1');
    const refused = await account(server, ['transfer', 'lea', 'sam']);
    expect(refused).toEqual({
      code: 1,
      output:
        'sam already has patients with the codes SAM-1: change those codes first (codes are unique per therapist).\n',
    });
    expect((await api(server.url, 'GET', `/api/patients/${patient.id}`, leaving)).status).toBe(200);
    // Codes cannot be changed over the API: the clinic erases (or exports, then erases) the clash.
    expect((await api(server.url, 'DELETE', `/api/patients/${clash.id}`, leaving)).status).toBe(
      200,
    );

    const dashboard = await connect(server.url, leaving);
    expect(await request(dashboard, 'patient:watch', { patientId: patient.id })).toMatchObject({
      ok: true,
    });
    const closed = disconnection(dashboard, () => 0);
    expect(await account(server, ['transfer', 'lea', 'sam'])).toMatchObject({ code: 0 });
    expect((await closed).reason).toBe('io server disconnect');

    expect((await api(server.url, 'GET', `/api/patients/${patient.id}`, leaving)).status).toBe(404);
    expect((await api(server.url, 'GET', `/api/patients/${patient.id}`, staying)).status).toBe(200);
    // The former therapist connects again (the account is not disabled) but may not watch.
    const reconnected = new Promise<void>((r) => dashboard.once('connect', () => r()));
    dashboard.connect();
    await reconnected;
    expect(await request(dashboard, 'patient:watch', { patientId: patient.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    dashboard.close();
    const audit = await api<{
      entries: { action: string; oldValue: unknown; newValue: unknown }[];
    }>(server.url, 'GET', `/api/patients/${patient.id}/audit`, staying);
    expect(audit.body.entries.find((e) => e.action === 'patient.transfer')).toMatchObject({
      oldValue: { username: 'lea' },
      newValue: { username: 'sam' },
    });
    expect(accountAudit(server, 'lea')).toEqual([
      'therapist.create',
      'therapist.transfer_patients',
    ]);
  });

  it('refuses unknown accounts and bad usage with a message', async () => {
    expect(await account(server, ['disable', 'nobody'])).toEqual({
      code: 1,
      output: 'There is no therapist named nobody.\n',
    });
    expect((await account(server, ['transfer', 'sam'])).code).toBe(2);
    expect((await account(server, ['explode', 'sam'])).code).toBe(2);
  });
});

describe('closing an account on every server process', () => {
  let one: RunningServer;
  let two: RunningServer;

  beforeAll(async () => {
    one = await startServer();
    // A second process on the same database (as behind a load balancer): it only shares the data.
    two = await startServer({ dataDir: one.dataDir });
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it('a password reset closes the sockets of the account on both processes', async () => {
    const token = await therapistWithToken(one, 'pia');
    const sockets = [await connect(one.url, token), await connect(two.url, token)];
    const closed = sockets.map((s) => disconnection(s, () => 0));
    const reset = await account(
      one,
      ['reset-password', 'pia', '--password-stdin'],
      `${NEW_PASSWORD}\n`,
    );
    expect(reset.code).toBe(0);
    expect((await Promise.all(closed)).map((c) => c.reason)).toEqual([
      'io server disconnect',
      'io server disconnect',
    ]);
    expect((await api(two.url, 'GET', '/api/patients', token)).status).toBe(401);
  });
});
