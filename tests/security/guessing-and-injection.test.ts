import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientRecord } from '../../shared/protocol/http';
import { addTherapist, startServer, type RunningServer } from '../support/server';
import {
  api,
  connect,
  HOSTILE_LABEL,
  HOSTILE_NOTES,
  createPatient,
  makeTrial,
  PASSWORD,
  request,
  setUpClinic,
  shutdown,
  type Clinic,
  waitFor,
} from './harness';

describe('guessing pairing codes and passwords', () => {
  let server: RunningServer;
  let clinic: Clinic;

  beforeAll(async () => {
    server = await startServer();
    clinic = await setUpClinic(server, 'gina');
  });
  afterAll(async () => {
    await shutdown(server);
  });

  it('locks pairing for an address after 5 wrong codes, even for the right code', async () => {
    const issued = await api<{ code: string }>(
      server.url,
      'POST',
      `/api/patients/${clinic.patientId}/pairing-code`,
      clinic.therapistToken,
    );
    const right = issued.body.code;
    const statuses: number[] = [];
    let guess = 0;
    for (let i = 0; i < 8; i++) {
      const wrong = String(guess++).padStart(6, '0');
      if (wrong === right) continue;
      statuses.push((await api(server.url, 'POST', '/api/pair', null, { code: wrong })).status);
    }
    const withRightCode = await api(server.url, 'POST', '/api/pair', null, { code: right });
    console.log(
      `[guessing] pairing: wrong-code answers ${statuses.join(',')}; right code then ${withRightCode.status}`,
    );
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    expect(withRightCode).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    // 5 guesses per 15 minutes against a 10-minute code of a million: p(success) < 5e-6 per code.
  });

  it('refuses malformed pairing bodies without counting them as pairing', async () => {
    for (const body of [
      {},
      { code: 123456 },
      { code: '12345' },
      { code: '1234567' },
      { code: 'abcdef' },
    ]) {
      const answer = await api(server.url, 'POST', '/api/pair', null, body);
      expect([400, 429]).toContain(answer.status);
    }
  });

  it('locks sign-in for an address after 10 failed attempts, even with the right password', async () => {
    await addTherapist(server, 'hugo', PASSWORD);
    // Ten different (unknown) accounts, so the per-account delay below does not slow this down.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (
          await api(server.url, 'POST', '/api/auth/login', null, {
            username: `hugo-guess-${i}`,
            password: `guess-${i}`,
          })
        ).status,
      );
    }
    const right = await api(server.url, 'POST', '/api/auth/login', null, {
      username: 'hugo',
      password: PASSWORD,
    });
    console.log(`[guessing] login: ${statuses.join(',')}; right password then ${right.status}`);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(right.status).toBe(429);
  });
});

/** One HTTP call to the server from another loopback source address (127.0.0.2, ...). */
function apiFrom(
  url: string,
  sourceAddress: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  const target = new URL(url);
  const payload = JSON.stringify(body);
  return new Promise((resolveAnswer, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path,
        method: 'POST',
        localAddress: sourceAddress,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.once('error', reject);
    req.end(payload);
  });
}

const addresses = (first: number, count: number) =>
  Array.from({ length: count }, (_, i) => `127.0.0.${first + i}`);

describe('guessing from many addresses', () => {
  let server: RunningServer;
  let clinic: Clinic;

  beforeAll(async () => {
    server = await startServer();
    clinic = await setUpClinic(server, 'mona');
  });
  afterAll(async () => {
    await shutdown(server);
  });

  it('voids a pairing code after 5 wrong codes in all, one per address', async () => {
    const issued = await api<{ code: string }>(
      server.url,
      'POST',
      `/api/patients/${clinic.patientId}/pairing-code`,
      clinic.therapistToken,
    );
    const right = issued.body.code;
    const dashboard = await connect(server.url, clinic.therapistToken);
    const voidedHeard: unknown[] = [];
    dashboard.on('pairing:voided', (payload) => voidedHeard.push(payload));
    const wrongCodes = ['000000', '111111', '222222', '333333', '444444', '555555'].filter(
      (c) => c !== right,
    );
    const statuses: number[] = [];
    for (const [i, source] of addresses(2, 5).entries()) {
      statuses.push(
        (await apiFrom(server.url, source, '/api/pair', { code: wrongCodes[i] })).status,
      );
    }
    // No address reached its own limit of 5; the code is dead all the same.
    const withRightCode = await apiFrom(server.url, '127.0.0.7', '/api/pair', { code: right });
    console.log(
      `[guessing] 5 addresses, one wrong code each: ${statuses.join(',')}; right code then ${withRightCode.status}`,
    );
    expect(statuses).toEqual([404, 404, 404, 404, 404]);
    expect(withRightCode).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'this code is wrong, used or expired' } },
    });
    const audit = await api<{ entries: { action: string }[] }>(
      server.url,
      'GET',
      `/api/patients/${clinic.patientId}/audit`,
      clinic.therapistToken,
    );
    expect(audit.body.entries.map((e) => e.action)).toContain('pairing.code_voided');
    // The dashboard heard it once, so it stops showing the dead code as valid.
    await waitFor(() => voidedHeard.length > 0, 3000, 'pairing:voided');
    dashboard.close();
    expect(voidedHeard).toEqual([{ patientId: clinic.patientId, voidedAt: expect.any(String) }]);
    // The therapist issues a new code and the headset pairs with it.
    const again = await api<{ code: string }>(
      server.url,
      'POST',
      `/api/patients/${clinic.patientId}/pairing-code`,
      clinic.therapistToken,
    );
    expect(
      (await apiFrom(server.url, '127.0.0.8', '/api/pair', { code: again.body.code })).status,
    ).toBe(201);
  });

  it('spaces out wrong passwords for one account whatever the address, but never refuses the right one', async () => {
    await addTherapist(server, 'nils', PASSWORD);
    const started = Date.now();
    // Five addresses guess at once, each far below its own limit of 10.
    const answers = await Promise.all(
      addresses(10, 5).map(async (source, i) => {
        const answer = await apiFrom(server.url, source, '/api/auth/login', {
          username: 'nils',
          password: `guess-${i}`,
        });
        return { status: answer.status, seconds: (Date.now() - started) / 1000 };
      }),
    );
    const lastAnswer = Math.max(...answers.map((a) => a.seconds));
    const right = await apiFrom(server.url, '127.0.0.20', '/api/auth/login', {
      username: 'nils',
      password: PASSWORD,
    });
    console.log(
      `[guessing] 5 addresses, wrong passwords at once: answered ${answers
        .map((a) => `${a.status}@${a.seconds.toFixed(1)}s`)
        .join(', ')}; right password then ${right.status}`,
    );
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    // One at a time: no delay for the first 2 failures, then 1 s after the 3rd and 2 s after the
    // 4th before the next attempt is heard (and 4 s holding the 5th answer): at least 7 s in all.
    expect(lastAnswer).toBeGreaterThanOrEqual(7);
    expect(right.status).toBe(200);
  });
});

describe('injection through free-text fields', () => {
  let server: RunningServer;
  let clinic: Clinic;

  beforeAll(async () => {
    server = await startServer();
    clinic = await setUpClinic(server, 'ines');
  });
  afterAll(async () => {
    await shutdown(server);
  });

  it('stores SQL and HTML in labels and notes literally, and the tables survive', async () => {
    const created = await createPatient(server.url, clinic.therapistToken, 'INJ-1', {
      label: HOSTILE_LABEL,
      notes: HOSTILE_NOTES,
    });
    const read = await api<PatientRecord>(
      server.url,
      'GET',
      `/api/patients/${created.id}`,
      clinic.therapistToken,
    );
    expect(read.body.label).toBe(HOSTILE_LABEL);
    expect(read.body.notes).toBe(HOSTILE_NOTES);
    const patched = await api<PatientRecord>(
      server.url,
      'PATCH',
      `/api/patients/${created.id}`,
      clinic.therapistToken,
      { label: "x'); DELETE FROM trials; --", notes: HOSTILE_NOTES },
    );
    expect(patched.body.label).toBe("x'); DELETE FROM trials; --");
    const list = await api<{ patients: PatientRecord[] }>(
      server.url,
      'GET',
      '/api/patients',
      clinic.therapistToken,
    );
    expect(list.body.patients.map((p) => p.id).sort()).toEqual(
      [clinic.patientId, created.id].sort(),
    );
  });

  it('refuses a patient code that is not a plain pseudonym', async () => {
    for (const code of ["P1'; DROP TABLE patients;--", '<b>x</b>', '../../etc', 'Jane Doe']) {
      const answer = await api(server.url, 'POST', '/api/patients', clinic.therapistToken, {
        code,
        label: 'x',
        affectedArm: 'left',
        posture: 'seated',
      });
      expect(answer.status).toBe(400);
    }
  });

  it('answers the JSON API with a JSON content type and nosniff, so nothing is rendered as HTML', async () => {
    const response = await fetch(`${server.url}/api/patients`, {
      headers: { authorization: `Bearer ${clinic.therapistToken}` },
    });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });

  it('neutralises spreadsheet formulas a headset puts in a trial reason (CSV injection)', async () => {
    const device = await connect(server.url, clinic.deviceToken);
    const sessionId = randomUUID();
    await request(device, 'session:start', {
      sessionId,
      mode: 'live',
      startedAt: new Date().toISOString(),
    });
    const formulas = [
      '=HYPERLINK("http://evil.example")',
      "+1+cmd|' /C calc'!A0",
      "-2+3+cmd|' /C calc'!A0",
      '@SUM(1)',
    ];
    for (const [i, reason] of formulas.entries()) {
      const trial = { ...makeTrial(sessionId, i + 1), reason };
      expect(await request(device, 'trial:submit', trial)).toMatchObject({ ok: true });
    }
    device.close();
    const csv = await api<string>(
      server.url,
      'GET',
      `/api/sessions/${sessionId}/trials.csv`,
      clinic.therapistToken,
    );
    expect(csv.status).toBe(200);
    const [header, ...rows] = parseCsv(csv.body);
    const reasons = rows.map((r) => r[header!.indexOf('reason')]!);
    console.log(`[injection] trial reasons as exported: ${JSON.stringify(reasons)}`);
    expect(reasons).toHaveLength(formulas.length);
    expect(reasons.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  });
});

/** RFC 4180 rows (quoted fields with doubled quotes), enough to read an export back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  return rows;
}
