import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCALE_CSV_COLUMNS, type FhirScaleBundle, type ScaleEntry } from '../../shared/clinical';
import { startServer, type RunningServer } from '../support/server';
import { api, createPatient, therapistWithToken } from './helpers';

type Audit = { entries: { action: string; oldValue: unknown; newValue: unknown }[] };

describe('clinical scales: recorded, corrected, deleted, exported, by the own therapist only', () => {
  let server: RunningServer;
  let token: string;
  let otherToken: string;
  let patientId: string;

  beforeAll(async () => {
    server = await startServer();
    token = await therapistWithToken(server, 'sofia');
    otherToken = await therapistWithToken(server, 'tomas');
    patientId = (await createPatient(server.url, token, 'SC-1')).id;
  });
  afterAll(async () => {
    await server?.close();
  });

  const path = (suffix = '') => `/api/patients/${patientId}/scales${suffix}`;

  it('records scores with their date and arm and lists them oldest first', async () => {
    const fm = await api<ScaleEntry>(server.url, 'POST', path(), token, {
      scale: 'fugl_meyer_ue',
      arm: 'right',
      value: 38,
      measuredOn: '2026-02-10',
    });
    expect(fm.status).toBe(201);
    expect(fm.body).toMatchObject({ scale: 'fugl_meyer_ue', arm: 'right', value: 38, note: '' });
    const bbt = await api<ScaleEntry>(server.url, 'POST', path(), token, {
      scale: 'box_and_block',
      arm: 'left',
      value: 52,
      measuredOn: '2026-01-20',
      note: 'seated, dominant hand first',
    });
    expect(bbt.status).toBe(201);
    const list = await api<{ entries: ScaleEntry[] }>(server.url, 'GET', path(), token);
    expect(list.body.entries.map((e) => [e.measuredOn, e.scale, e.value])).toEqual([
      ['2026-01-20', 'box_and_block', 52],
      ['2026-02-10', 'fugl_meyer_ue', 38],
    ]);
  });

  it('refuses values out of range, wrong dates and unknown scales with a clear message', async () => {
    const post = (body: object) =>
      api<{ error: { code: string; message: string } }>(server.url, 'POST', path(), token, body);
    const base = { scale: 'arat', arm: 'right', value: 20, measuredOn: '2026-02-01' };
    const cases: [object, RegExp][] = [
      [{ ...base, value: 58 }, /value: ARAT must be a whole number from 0 to 57/],
      [{ ...base, value: -1 }, /ARAT must be a whole number from 0 to 57/],
      [{ ...base, value: 12.5 }, /ARAT must be a whole number/],
      [
        { ...base, scale: 'fugl_meyer_ue', value: 67 },
        /FMA-UE must be a whole number from 0 to 66/,
      ],
      [{ ...base, measuredOn: '2026-02-30' }, /measuredOn: no such date/],
      [{ ...base, measuredOn: '01/02/2026' }, /YYYY-MM-DD/],
      [{ ...base, measuredOn: '2999-01-01' }, /cannot be in the future/],
      [
        { ...base, scale: 'barthel' },
        /the scale must be one of fugl_meyer_ue, arat, box_and_block/,
      ],
      [{ ...base, arm: 'both' }, /arm/],
      [{ ...base, value: '20' }, /ARAT must be a whole number/],
    ];
    for (const [body, message] of cases) {
      const answer = await post(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe('invalid_payload');
      expect(answer.body.error.message).toMatch(message);
    }
    const list = await api<{ entries: ScaleEntry[] }>(server.url, 'GET', path(), token);
    expect(list.body.entries).toHaveLength(2);
  });

  it('corrects and deletes an entry, checking the range of its own scale, and audits both', async () => {
    const created = await api<ScaleEntry>(server.url, 'POST', path(), token, {
      scale: 'arat',
      arm: 'right',
      value: 21,
      measuredOn: '2026-02-11',
    });
    const id = created.body.id;
    const tooHigh = await api<{ error: { message: string } }>(
      server.url,
      'PATCH',
      path(`/${id}`),
      token,
      { value: 60 },
    );
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.body.error.message).toMatch(/ARAT must be a whole number from 0 to 57/);
    const corrected = await api<ScaleEntry>(server.url, 'PATCH', path(`/${id}`), token, {
      value: 27,
      note: 'recounted',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({
      value: 27,
      note: 'recounted',
      measuredOn: '2026-02-11',
    });
    expect(corrected.body.updatedAt >= corrected.body.recordedAt).toBe(true);
    const fhir = await api<FhirScaleBundle>(server.url, 'GET', path('/fhir'), token);
    const arat = fhir.body.entry.find((e) => e.resource.id === `scale-${id}`)!.resource;
    expect(arat.valueQuantity).toMatchObject({ value: 27, code: '{score}' });
    expect(arat.effectiveDateTime).toBe('2026-02-11');
    expect(arat.bodySite).toEqual({ text: 'right arm' });
    expect(await api(server.url, 'DELETE', path(`/${id}`), token)).toMatchObject({ status: 200 });
    expect(await api(server.url, 'DELETE', path(`/${id}`), token)).toMatchObject({ status: 404 });
    const audit = await api<Audit>(server.url, 'GET', `/api/patients/${patientId}/audit`, token);
    const scaleActions = audit.body.entries.filter((e) => e.action.startsWith('scale.'));
    expect(scaleActions.map((e) => e.action)).toEqual([
      'scale.delete',
      'scale.correct',
      'scale.record',
      'scale.record',
      'scale.record',
    ]);
    expect(scaleActions[1]).toMatchObject({ oldValue: { value: 21 }, newValue: { value: 27 } });
    expect(scaleActions[0]).toMatchObject({ oldValue: { value: 27, scale: 'arat' } });
  });

  it('exports the scores as CSV and FHIR, and audits the exports', async () => {
    const csv = await fetch(`${server.url}${path('.csv')}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe(SCALE_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^SC-1,2026-01-20,box_and_block,Box and Block Test,left,52,blocks\/min,0,150,"seated, dominant hand first",/,
    );
    const fhir = await api<FhirScaleBundle>(server.url, 'GET', path('/fhir'), token);
    expect(fhir.body.entry.map((e) => e.resource.code.coding[0]!.code)).toEqual([
      'box-and-block',
      'fugl-meyer-ue-motor',
    ]);
    const audit = await api<Audit>(server.url, 'GET', `/api/patients/${patientId}/audit`, token);
    expect(audit.body.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['export.scales_csv', 'export.scales_fhir']),
    );
  });

  it('lets no other therapist read, record, correct or delete a score', async () => {
    const [entry] = (await api<{ entries: ScaleEntry[] }>(server.url, 'GET', path(), token)).body
      .entries;
    const attempts = [
      api(server.url, 'GET', path(), otherToken),
      api(server.url, 'POST', path(), otherToken, {
        scale: 'arat',
        arm: 'left',
        value: 5,
        measuredOn: '2026-02-01',
      }),
      api(server.url, 'PATCH', path(`/${entry!.id}`), otherToken, { value: 1 }),
      api(server.url, 'DELETE', path(`/${entry!.id}`), otherToken),
      api(server.url, 'GET', path('.csv'), otherToken),
      api(server.url, 'GET', path('/fhir'), otherToken),
    ];
    for (const answer of await Promise.all(attempts)) expect(answer.status).toBe(404);
    expect(await api(server.url, 'GET', path(), null)).toMatchObject({ status: 401 });
    const after = await api<{ entries: ScaleEntry[] }>(server.url, 'GET', path(), token);
    expect(after.body.entries).toEqual(
      (await api<{ entries: ScaleEntry[] }>(server.url, 'GET', path(), token)).body.entries,
    );
    expect(after.body.entries.find((e) => e.id === entry!.id)!.value).toBe(entry!.value);
  });

  it('keeps the scores in the patient export and erases them with the patient', async () => {
    const exported = await api<{ scales: ScaleEntry[] }>(
      server.url,
      'GET',
      `/api/patients/${patientId}/export`,
      token,
    );
    expect(exported.body.scales.map((e) => e.scale)).toEqual(['box_and_block', 'fugl_meyer_ue']);
    expect(await api(server.url, 'DELETE', `/api/patients/${patientId}`, token)).toMatchObject({
      status: 200,
    });
    expect(await api(server.url, 'GET', path(), token)).toMatchObject({ status: 404 });
  });
});
