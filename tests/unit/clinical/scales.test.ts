import { describe, expect, it } from 'vitest';
import {
  REACH_SCALE_CODE_SYSTEM,
  SCALE_CSV_COLUMNS,
  scalesToCsv,
  scalesToFhirBundle,
  type ScaleEntry,
} from '../../../shared/clinical/index';
import { scaleEntryCorrectionSchema, scaleEntryInputSchema } from '../../../shared/protocol/scales';

const entry = (over: Partial<ScaleEntry>): ScaleEntry => ({
  id: 'e-1',
  scale: 'arat',
  arm: 'right',
  value: 31,
  measuredOn: '2026-02-03',
  note: '',
  recordedBy: 'th-1',
  recordedAt: '2026-02-03T09:00:00.000Z',
  updatedAt: '2026-02-03T09:00:00.000Z',
  ...over,
});

const message = (input: unknown) => {
  const parsed = scaleEntryInputSchema.safeParse(input);
  return parsed.success ? null : parsed.error.issues[0]!.message;
};

describe('clinical scale schemas', () => {
  const ok = { arm: 'left', measuredOn: '2026-01-31' };

  it('accepts each scale at both ends of its range', () => {
    for (const [scale, max] of [
      ['fugl_meyer_ue', 66],
      ['arat', 57],
      ['box_and_block', 150],
    ] as const) {
      expect(message({ ...ok, scale, value: 0 })).toBeNull();
      expect(message({ ...ok, scale, value: max })).toBeNull();
      expect(message({ ...ok, scale, value: max + 1 })).toMatch(`from 0 to ${max}`);
    }
    expect(scaleEntryInputSchema.parse({ ...ok, scale: 'arat', value: 3 }).note).toBe('');
  });

  it('refuses fractions, NaN, negative values, impossible or future dates and extra fields', () => {
    expect(message({ ...ok, scale: 'arat', value: 2.5 })).toMatch(/whole number/);
    expect(message({ ...ok, scale: 'arat', value: Number.NaN })).toMatch(/whole number/);
    expect(message({ ...ok, scale: 'box_and_block', value: -3 })).toMatch(/from 0 to 150/);
    expect(message({ ...ok, scale: 'arat', value: 3, measuredOn: '2026-13-01' })).toBe(
      'no such date',
    );
    expect(message({ ...ok, scale: 'arat', value: 3, measuredOn: '2100-01-01' })).toMatch(/future/);
    expect(message({ ...ok, scale: 'arat', value: 3, estimated: true })).not.toBeNull();
    expect(scaleEntryCorrectionSchema.safeParse({}).success).toBe(false);
    expect(scaleEntryCorrectionSchema.safeParse({ scale: 'arat' }).success).toBe(false);
  });
});

describe('clinical scale exports', () => {
  const entries = [
    entry({}),
    entry({
      id: 'e-2',
      scale: 'box_and_block',
      arm: 'left',
      value: 44,
      note: '=tired',
      updatedAt: '2026-02-04T10:00:00.000Z',
    }),
  ];

  it('writes scales.csv with the documented columns', () => {
    const lines = scalesToCsv('P-1', entries).split('\r\n');
    expect(lines[0]).toBe(SCALE_CSV_COLUMNS.join(','));
    expect(lines[1]).toBe(
      'P-1,2026-02-03,arat,Action Research Arm Test,right,31,points,0,57,,th-1,2026-02-03T09:00:00.000Z,2026-02-03T09:00:00.000Z,e-1',
    );
    // a note is text, never a formula
    expect(lines[2]).toContain(",'=tired,");
  });

  it('makes one exam Observation per score, amended once corrected', () => {
    const bundle = scalesToFhirBundle('P-1', entries, { timestamp: '2026-02-05T00:00:00Z' });
    const [arat, bbt] = bundle.entry.map((e) => e.resource);
    expect(arat).toMatchObject({
      id: 'scale-e-1',
      status: 'final',
      code: { coding: [{ system: REACH_SCALE_CODE_SYSTEM, code: 'arat-total' }] },
      effectiveDateTime: '2026-02-03',
      valueQuantity: {
        value: 31,
        unit: 'points',
        system: 'http://unitsofmeasure.org',
        code: '{score}',
      },
      bodySite: { text: 'right arm' },
      referenceRange: [{ low: { value: 0 }, high: { value: 57 } }],
      performer: [{ reference: 'Practitioner/th-1' }],
    });
    expect(arat!.category[0]!.coding[0]!.code).toBe('exam');
    expect(arat!.note).toBeUndefined();
    expect(bbt).toMatchObject({
      status: 'amended',
      valueQuantity: { value: 44, code: '{blocks}/min' },
      note: [{ text: '=tired' }],
    });
  });
});
