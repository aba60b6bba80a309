import { describe, expect, it } from 'vitest';
import {
  anchorLabel,
  DEFAULT_PLAN,
  EFFORT_SCALE,
  onScale,
  PAIN_SCALE,
  painPauses,
  RATING_CSV_COLUMNS,
  ratingObservations,
  ratingsToCsv,
  scaleFraction,
  scaleValueAt,
  sessionPlanSchema,
  SPEC_VERSION,
  type SetRatingRow,
} from '../../../shared/clinical';
import { setRatingSchema } from '../../../shared/protocol';

const row = (over: Partial<SetRatingRow> = {}): SetRatingRow => ({
  sessionId: 'S1',
  sessionStartedAt: '2026-01-05T10:00:00.000Z',
  patientCode: 'P-1',
  setIndex: 0,
  arm: 'left',
  effort: 3.5,
  pain: 2,
  skipped: false,
  painPauseAt: 5,
  ratedAt: '2026-01-05T10:04:00.000Z',
  ...over,
});

describe('rating scales', () => {
  it('accepts Borg CR10 halves and whole pain numbers only', () => {
    expect([0, 0.5, 3.5, 10].map((v) => onScale(v, EFFORT_SCALE))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([-0.5, 0.25, 10.5, NaN].map((v) => onScale(v, EFFORT_SCALE))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect([0, 7, 10].map((v) => onScale(v, PAIN_SCALE))).toEqual([true, true, true]);
    expect([0.5, 11, -1, Infinity].map((v) => onScale(v, PAIN_SCALE))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('snaps a point along the slider to the nearest step, ends beyond the slider', () => {
    expect(scaleValueAt(0.36, EFFORT_SCALE)).toBe(3.5);
    expect(scaleValueAt(0.374, EFFORT_SCALE)).toBe(3.5);
    expect(scaleValueAt(0.376, EFFORT_SCALE)).toBe(4);
    expect(scaleValueAt(0.44, PAIN_SCALE)).toBe(4);
    expect(scaleValueAt(0.46, PAIN_SCALE)).toBe(5);
    expect(scaleValueAt(-0.3, PAIN_SCALE)).toBe(0);
    expect(scaleValueAt(1.7, PAIN_SCALE)).toBe(10);
    expect(scaleValueAt(NaN, PAIN_SCALE)).toBe(0);
    for (let v = 0; v <= 10; v += 0.5)
      expect(scaleValueAt(scaleFraction(v, EFFORT_SCALE), EFFORT_SCALE)).toBe(v);
  });

  it("names a value by the nearest of the scale's words at or below it", () => {
    expect(anchorLabel(0, EFFORT_SCALE)).toBe('Nothing at all');
    expect(anchorLabel(4, EFFORT_SCALE)).toBe('Moderate');
    expect(anchorLabel(10, EFFORT_SCALE)).toBe('Extremely strong');
    expect(anchorLabel(4, PAIN_SCALE)).toBe('No pain');
    expect(anchorLabel(6, PAIN_SCALE)).toBe('Moderate pain');
  });

  it('pauses at or above the threshold only', () => {
    expect([painPauses(4, 5), painPauses(5, 5), painPauses(10, 5), painPauses(null, 1)]).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });
});

describe('the plan asks for ratings by default', () => {
  it('fills in enabled and a pause at pain 5 for a plan stored before ratings existed', () => {
    const { ratings: _none, ...old } = DEFAULT_PLAN;
    expect(sessionPlanSchema.parse(old).ratings).toEqual({ enabled: true, painPauseAt: 5 });
    expect(DEFAULT_PLAN.ratings).toEqual({ enabled: true, painPauseAt: 5 });
  });

  it('keeps the therapist’s own threshold and refuses one outside 1-10', () => {
    const own = { ...DEFAULT_PLAN, ratings: { enabled: false, painPauseAt: 3 } };
    expect(sessionPlanSchema.parse(own).ratings).toEqual({ enabled: false, painPauseAt: 3 });
    for (const painPauseAt of [0, 11, 4.5])
      expect(
        sessionPlanSchema.safeParse({ ...DEFAULT_PLAN, ratings: { enabled: true, painPauseAt } })
          .success,
      ).toBe(false);
  });
});

describe('the rating message', () => {
  const valid = {
    sessionId: '2b1c0b52-4a43-4a4e-9b1e-0000000000aa',
    setIndex: 3,
    arm: 'right',
    effort: 7,
    pain: null,
    skipped: false,
    painPauseAt: 5,
    ratedAt: '2026-01-05T10:04:00.000Z',
  };
  it('takes an answer with one of the two values, and a skip with neither', () => {
    expect(setRatingSchema.safeParse(valid).success).toBe(true);
    expect(
      setRatingSchema.safeParse({ ...valid, effort: null, pain: null, skipped: true }).success,
    ).toBe(true);
  });
  it('names what is wrong', () => {
    const issue = (over: object) =>
      setRatingSchema.safeParse({ ...valid, ...over }).error?.issues[0]?.message;
    expect(issue({ effort: 7.25 })).toBe('effort must be 0 to 10 in steps of 0.5 (Borg CR10)');
    expect(issue({ pain: 3.5 })).toBe('pain must be a whole number from 0 to 10');
    expect(issue({ skipped: true })).toBe(
      'skipped must be true exactly when neither effort nor pain is given',
    );
  });
});

describe('ratings.csv', () => {
  it('writes one row per set, 1-based set numbers, empty cells for answers not given', () => {
    const csv = ratingsToCsv([
      row(),
      row({ setIndex: 1, arm: 'right', effort: 6, pain: 7 }),
      row({ setIndex: 2, effort: null, pain: null, skipped: true }),
    ]);
    expect(csv.split('\r\n')).toEqual([
      RATING_CSV_COLUMNS.join(','),
      `${SPEC_VERSION},S1,2026-01-05T10:00:00.000Z,P-1,1,left,2026-01-05T10:04:00.000Z,3.5,2,no,5,no`,
      `${SPEC_VERSION},S1,2026-01-05T10:00:00.000Z,P-1,2,right,2026-01-05T10:04:00.000Z,6,7,no,5,yes`,
      `${SPEC_VERSION},S1,2026-01-05T10:00:00.000Z,P-1,3,left,2026-01-05T10:04:00.000Z,,,yes,5,no`,
      '',
    ]);
  });
});

describe('FHIR Observations of the ratings', () => {
  const session = { sessionId: 'S1', patientCode: 'P-1', endedAt: '2026-01-05T10:30:00.000Z' };

  it('codes pain with LOINC 72514-3 and effort with the Borg CR10 code, per set and arm', () => {
    const [pain, effort] = ratingObservations(session, [row({ setIndex: 1, pain: 6 })]);
    expect(pain).toMatchObject({
      id: 'S1-set-2-pain',
      status: 'final',
      category: [{ coding: [{ code: 'survey' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '72514-3' }] },
      effectiveDateTime: '2026-01-05T10:04:00.000Z',
      bodySite: { text: 'left arm' },
      valueQuantity: { value: 6, unit: '{score}', system: 'http://unitsofmeasure.org' },
      component: [{ code: { coding: [{ code: 'set-number' }] }, valueQuantity: { value: 2 } }],
      note: [{ text: expect.stringContaining('pause threshold (5)') }],
    });
    expect(effort).toMatchObject({
      id: 'S1-set-2-effort',
      code: {
        coding: [
          {
            system: 'https://reach.example/fhir/CodeSystem/reach-metrics',
            code: 'effort-borg-cr10',
          },
          { system: 'http://loinc.org', code: '82289-0' },
        ],
      },
      valueQuantity: { value: 3.5 },
    });
    expect(effort).not.toHaveProperty('note');
  });

  it('says an answer not given was declined, never zero; preliminary while the session runs', () => {
    const [pain, effort] = ratingObservations({ ...session, endedAt: null }, [
      row({ effort: null, pain: null, skipped: true }),
    ]);
    for (const o of [pain!, effort!]) {
      expect(o.status).toBe('preliminary');
      expect(o).not.toHaveProperty('valueQuantity');
      expect(o).toMatchObject({ dataAbsentReason: { coding: [{ code: 'asked-declined' }] } });
    }
  });
});
