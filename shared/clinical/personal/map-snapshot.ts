import { z } from 'zod';
import { armSchema } from '../types';
import { createPerformanceMap, MAP_MEASURES, type PerformanceMapState } from './map';
import { SECTOR_COUNT } from './sectors';

/**
 * The performance map as JSON: what the server stores per patient and arm and sends the headset
 * with the plan. Only the sessions that still weigh anything are kept (the last
 * floor(10 x half-life) + 1), renumbered from 0; a map restored from it gives the same
 * statistics and goes on with addTrialToMap exactly as the original would. A sector keeps at most
 * MAX_SNAPSHOT_SAMPLES values per measure (the newest sessions' first).
 */
export const MAX_SNAPSHOT_SESSIONS = 1000;
export const MAX_SNAPSHOT_SAMPLES = 20_000;
export const MAX_HALF_LIFE_SESSIONS = 50;

const index = z.number().int().min(0).max(MAX_SNAPSHOT_SESSIONS);
const count = z.number().int().min(0).max(1_000_000);
const samplesSchema = z.array(z.tuple([z.number().finite(), index])).max(MAX_SNAPSHOT_SAMPLES);

export const mapSnapshotSchema = z
  .object({
    arm: armSchema,
    halfLifeSessions: z.number().finite().positive().max(MAX_HALF_LIFE_SESSIONS),
    /** Session ids, oldest first; the last is the current session. */
    sessions: z.array(z.string().min(1).max(100)).max(MAX_SNAPSHOT_SESSIONS),
    unmapped: count,
    /** Per sector, in sector order: [session, trials, hits] and per measure [value, session]. */
    sectors: z
      .array(
        z
          .object({
            counts: z.array(z.tuple([index, count, count])).max(MAX_SNAPSHOT_SESSIONS),
            movementTime: samplesSchema,
            sparc: samplesSchema,
            pathRatio: samplesSchema,
          })
          .strict(),
      )
      .length(SECTOR_COUNT),
  })
  .strict()
  .refine((m) => new Set(m.sessions).size === m.sessions.length, 'sessions must be distinct')
  .refine(
    (m) =>
      m.sectors.every(
        (s) =>
          s.counts.every(
            ([session, trials, hits]) => session < m.sessions.length && hits <= trials,
          ) && MAP_MEASURES.every((k) => s[k].every(([, session]) => session < m.sessions.length)),
      ),
    'a session index is out of range',
  );
export type MapSnapshot = z.infer<typeof mapSnapshotSchema>;

export function mapToSnapshot(map: PerformanceMapState): MapSnapshot {
  const first = Math.max(0, map.currentSession - (map.weights.length - 1));
  const sessions: string[] = [];
  for (const [id, i] of map.sessionIndex) if (i >= first) sessions[i - first] = id;
  return {
    arm: map.arm,
    halfLifeSessions: map.halfLifeSessions,
    sessions,
    unmapped: map.unmapped,
    sectors: map.sectors.map((data) => {
      const counts: [number, number, number][] = [];
      for (const [session, trials] of data.trialsBySession)
        if (session >= first)
          counts.push([session - first, trials, data.hitsBySession.get(session) ?? 0]);
      counts.sort((a, b) => a[0] - b[0]);
      const samples = (m: (typeof MAP_MEASURES)[number]): [number, number][] => {
        let kept = data.samples[m].filter((x) => x.session >= first);
        if (kept.length > MAX_SNAPSHOT_SAMPLES)
          kept = [...kept]
            .sort((a, b) => b.session - a.session)
            .slice(0, MAX_SNAPSHOT_SAMPLES)
            .sort((a, b) => a.value - b.value);
        return kept.map((x) => [x.value, x.session - first]);
      };
      return {
        counts,
        movementTime: samples('movementTime'),
        sparc: samples('sparc'),
        pathRatio: samples('pathRatio'),
      };
    }),
  };
}

/** The map a (validated) snapshot holds, ready for addTrialToMap. */
export function mapFromSnapshot(snapshot: MapSnapshot): PerformanceMapState {
  const map = createPerformanceMap(snapshot.arm, snapshot.halfLifeSessions);
  snapshot.sessions.forEach((id, i) => map.sessionIndex.set(id, i));
  map.currentSession = snapshot.sessions.length - 1;
  map.unmapped = snapshot.unmapped;
  snapshot.sectors.forEach((s, sector) => {
    const data = map.sectors[sector]!;
    for (const [session, trials, hits] of s.counts) {
      data.trialsBySession.set(session, trials);
      if (hits > 0) data.hitsBySession.set(session, hits);
      data.oldestSession = Math.min(data.oldestSession, session);
    }
    for (const m of MAP_MEASURES)
      // Stable sort: equal values keep their stored (arrival) order.
      data.samples[m] = s[m]
        .map(([value, session]) => ({ value, session }))
        .sort((a, b) => a.value - b.value);
    map.dirty[sector] = true;
  });
  return map;
}

/**
 * The snapshot without one session's trials (sessions after it move one place down), unchanged
 * when it holds none of them. A headset resuming a session takes the server's map without that
 * session, then adds every trial the session played itself: the server may hold some of them,
 * all or none (trials still in the outbox), and none is counted twice.
 */
export function mapSnapshotWithoutSession(snapshot: MapSnapshot, sessionId: string): MapSnapshot {
  const removed = snapshot.sessions.indexOf(sessionId);
  if (removed < 0) return snapshot;
  const renumber = (session: number) => (session > removed ? session - 1 : session);
  const samples = (list: [number, number][]): [number, number][] =>
    list.filter(([, session]) => session !== removed).map(([v, session]) => [v, renumber(session)]);
  return {
    ...snapshot,
    sessions: snapshot.sessions.filter((_, i) => i !== removed),
    sectors: snapshot.sectors.map((s) => ({
      counts: s.counts
        .filter(([session]) => session !== removed)
        .map(([session, trials, hits]) => [renumber(session), trials, hits]),
      movementTime: samples(s.movementTime),
      sparc: samples(s.sparc),
      pathRatio: samples(s.pathRatio),
    })),
  };
}
