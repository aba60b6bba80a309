import { describe, expect, it } from 'vitest';
import { DEFAULT_DIFFICULTY, DEFAULT_PLAN } from '../../../shared/clinical';
import {
  asymmetryText,
  asymmetryWhyNot,
  sessionAsymmetry,
} from '../../../client/therapist/history/arm-measures';
import { describeAuditEntry } from '../../../client/therapist/history/audit-text';
import { levelScaleChanges } from '../../../client/therapist/history/level-scale-changes';
import {
  dayToSeconds,
  multiSeriesColumns,
} from '../../../client/therapist/history/progress-chart-data';
import type { SessionRecord } from '../../../shared/protocol/http';

const by = (action: string, newValue: unknown, oldValue: unknown = null) =>
  describeAuditEntry({ action, actorKind: 'therapist', actorId: 'me', oldValue, newValue }, 'me');

describe('clinical scales in the audit log', () => {
  const entry = { scale: 'arat', value: 21, arm: 'right', measuredOn: '2026-02-03' };
  it('says which score was recorded, corrected or deleted', () => {
    expect(by('scale.record', entry)).toBe(
      'You recorded the score ARAT 21 (right arm, 2026-02-03).',
    );
    expect(by('scale.correct', { ...entry, value: 27 }, entry)).toBe(
      'You corrected the score ARAT 21 (right arm, 2026-02-03) to ARAT 27 (right arm, 2026-02-03).',
    );
    expect(by('scale.delete', null, entry)).toBe(
      'You deleted the score ARAT 21 (right arm, 2026-02-03).',
    );
    expect(by('scale.record', { scale: 'other' })).toBe('You recorded the score a score.');
    expect(by('export.scales_csv', null)).toBe('You exported the clinical scales as CSV.');
  });
});

describe('changes of the level scale, from the audit log', () => {
  const plan = (rightRadiusHard: number, leftMax = 100) => ({
    ...DEFAULT_PLAN,
    difficulty: {
      left: { ...DEFAULT_DIFFICULTY, maxLevel: leftMax },
      right: { ...DEFAULT_DIFFICULTY, radius: { easy: 0.08, hard: rightRadiusHard } },
    },
  });
  it('finds plan saves and kept live changes that alter an arm bounds, oldest first', () => {
    const changes = levelScaleChanges(
      [
        // newest first, as the API sends them
        {
          at: '2026-02-03T10:00:00Z',
          action: 'plan.difficulty_kept',
          oldValue: { arm: 'left', difficulty: DEFAULT_DIFFICULTY },
          newValue: { arm: 'left', difficulty: { ...DEFAULT_DIFFICULTY, gain: 4 } },
        },
        {
          at: '2026-02-02T10:00:00Z',
          action: 'plan.difficulty_kept',
          oldValue: { arm: 'left', difficulty: DEFAULT_DIFFICULTY },
          newValue: { arm: 'left', difficulty: { ...DEFAULT_DIFFICULTY, minLevel: 10 } },
        },
        {
          at: '2026-02-01T10:00:00Z',
          action: 'patient.update',
          oldValue: { plan: plan(0.02) },
          newValue: { plan: plan(0.03, 60) },
        },
        {
          at: '2026-01-31T10:00:00Z',
          action: 'patient.update',
          oldValue: { notes: '' },
          newValue: { notes: 'x' },
        },
        // no plan before: the default plan was in force, same bounds
        {
          at: '2026-01-30T10:00:00Z',
          action: 'patient.update',
          oldValue: {},
          newValue: { plan: plan(0.02) },
        },
        {
          at: '2026-01-29T10:00:00Z',
          action: 'patient.update',
          oldValue: 'junk',
          newValue: { plan: 7 },
        },
      ],
      'right',
    );
    expect(changes).toEqual([
      { at: '2026-02-01T10:00:00Z', arms: ['left', 'right'] },
      { at: '2026-02-02T10:00:00Z', arms: ['left'] },
    ]);
  });
});

describe('per-arm chart data and asymmetry text', () => {
  it('aligns several series on one time axis, gaps where a series has no point', () => {
    expect(
      multiSeriesColumns([
        [
          { t: 20, value: 1 },
          { t: 10, value: Number.NaN },
        ],
        [{ t: 15, value: 3 }],
      ]),
    ).toEqual([
      [10, 15, 20],
      [null, null, 1],
      [null, 3, null],
    ]);
    expect(dayToSeconds('2026-02-03')).toBe(Date.UTC(2026, 1, 3, 12) / 1000);
  });

  it('never shows NaN: a signed percent or "not available" with the reason', () => {
    expect(asymmetryText({ value: 33.4 })).toBe('+33 %');
    expect(asymmetryText({ value: -0.2 })).toBe('0 %');
    expect(asymmetryText({ value: -12.6 })).toBe('-13 %');
    expect(asymmetryText({ value: null, reason: 'zero' })).toBe('not available');
    expect(asymmetryWhyNot({ value: null, reason: 'zero' })).toBe(
      'Not available: both values are zero',
    );
    const session = {
      arms: {
        left: { clinical: { metrics: { movementTime: { mean: 1 } } } },
        right: { clinical: { metrics: { movementTime: { mean: Number.NaN } } } },
      },
    } as unknown as SessionRecord;
    expect(sessionAsymmetry(session, 'right', 'movementTime')).toEqual({
      value: null,
      reason: 'missing',
    });
    expect(
      sessionAsymmetry(
        { arms: { left: null, right: null } } as unknown as SessionRecord,
        'right',
        'sparc',
      ).value,
    ).toBeNull();
  });
});
