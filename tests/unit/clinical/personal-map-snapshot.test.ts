import { describe, expect, it } from 'vitest';
import {
  addTrialToMap,
  buildPerformanceMap,
  DEFAULT_PLAN,
  mapFromSnapshot,
  mapSnapshotSchema,
  mapToSnapshot,
  parseSessionPlan,
  performanceMap,
  placementFor,
  type PersonalTrial,
} from '../../../shared/clinical';
import { mulberry32 } from './helpers';

function trials(sessions: number, perSession: number, seed = 7): PersonalTrial[] {
  const random = mulberry32(seed);
  const out: PersonalTrial[] = [];
  for (let s = 0; s < sessions; s++)
    for (let i = 0; i < perSession; i++)
      out.push({
        sessionId: `s${s}`,
        task: 'touch',
        arm: 'right',
        sector: Math.floor(random() * 24),
        outcome: random() < 0.7 ? 'hit' : 'miss_too_slow',
        metrics: {
          movementTime: 0.8 + random(),
          sparc: -1.5 - random(),
          pathRatio: random() < 0.1 ? Number.NaN : 1 + random() / 2,
        },
      });
  return out;
}

describe('the performance map as JSON (stored with the patient, sent with the plan)', () => {
  it('a restored map has the same statistics and goes on exactly as the original', () => {
    const original = buildPerformanceMap(trials(4, 30), 'right');
    const snapshot = mapSnapshotSchema.parse(JSON.parse(JSON.stringify(mapToSnapshot(original))));
    const restored = mapFromSnapshot(snapshot);
    expect(performanceMap(restored)).toEqual(performanceMap(original));
    for (const t of trials(2, 20, 99).map((t) => ({ ...t, sessionId: `next-${t.sessionId}` }))) {
      expect(addTrialToMap(restored, t)).toEqual(addTrialToMap(original, t));
    }
    expect(performanceMap(restored)).toEqual(performanceMap(original));
  });

  it('keeps only the sessions that still weigh anything (51 at a half-life of 5)', () => {
    const map = buildPerformanceMap(trials(60, 3), 'right');
    const snapshot = mapToSnapshot(map);
    expect(snapshot.sessions).toHaveLength(51);
    expect(snapshot.sessions[0]).toBe('s9');
    expect(snapshot.sessions.at(-1)).toBe('s59');
    expect(performanceMap(mapFromSnapshot(snapshot))).toEqual(performanceMap(map));
  });

  it('refuses a snapshot whose session numbers point nowhere', () => {
    const snapshot = mapToSnapshot(buildPerformanceMap(trials(1, 5), 'right'));
    const sector = snapshot.sectors.find((s) => s.counts.length > 0)!;
    sector.counts[0]![0] = 3;
    expect(mapSnapshotSchema.safeParse(snapshot).success).toBe(false);
  });
});

describe('placement in the plan', () => {
  it('a plan saved before placement existed plays balanced', () => {
    const { placement: _placement, ...older } = DEFAULT_PLAN;
    expect(parseSessionPlan(older).placement).toEqual({ mode: 'balanced' });
  });

  it('sector mode without sectors, and focus without a map, place as balanced', () => {
    expect(placementFor({ mode: 'sector', sectors: [] }, null)).toEqual({ mode: 'balanced' });
    expect(placementFor({ mode: 'focus' }, null)).toEqual({ mode: 'balanced' });
    expect(placementFor({ mode: 'sector', sectors: [5, 2, 5] }, null)).toEqual({
      mode: 'sector',
      sectors: [2, 5],
    });
  });
});
