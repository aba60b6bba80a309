import { describe, expect, it } from 'vitest';
import { ratingColumns } from '../../../client/therapist/history/rating-chart-data';
import { ratingText } from '../../../client/therapist/live/RatingFeed';

const rating = (ratedAt: string, effort: number | null, pain: number | null) => ({
  sessionId: '33333333-3333-4333-8333-333333333333',
  setIndex: 0,
  arm: 'right' as const,
  effort,
  pain,
  skipped: effort === null && pain === null,
  painPauseAt: 5,
  ratedAt,
  sessionStartedAt: '2026-01-01T10:00:00.000Z',
});

describe('ratings across sessions', () => {
  it('charts effort and pain at the time each set was rated, gaps where not given', () => {
    expect(
      ratingColumns([
        rating('2026-01-08T10:00:00.000Z', 6, 3),
        rating('2026-01-01T10:00:10.000Z', null, null),
        rating('2026-01-01T10:00:00.000Z', 2.5, null),
        rating('not a time', 1, 1),
      ]),
    ).toEqual([
      [1767261600, 1767261610, 1767866400],
      [2.5, null, 6],
      [null, null, 3],
    ]);
  });

  it('words a rating for the live feed', () => {
    expect(ratingText(rating('2026-01-01T10:00:00.000Z', 4.5, 2))).toBe(
      'effort 4.5 (moderate), pain 2/10',
    );
    expect(ratingText(rating('2026-01-01T10:00:00.000Z', null, 7))).toBe(
      'effort not given, pain 7/10',
    );
    expect(ratingText(rating('2026-01-01T10:00:00.000Z', null, null))).toBe('skipped');
  });
});
