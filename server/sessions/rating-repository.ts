import type { SetRatingRecord, StoredSetRating } from '../../shared/protocol';
import { durably, type Db } from '../storage/database';
import type { SetRatingTable } from '../storage/schema';

/**
 * Stores a set's rating unless that set of the session is already rated (the first answer
 * stands). Returns whether this call stored it.
 */
export async function insertSetRatingOnce(
  db: Db,
  patientId: string,
  rating: SetRatingRecord,
): Promise<boolean> {
  const inserted = await db
    .insertInto('set_ratings')
    .values({
      session_id: rating.sessionId,
      set_index: rating.setIndex,
      patient_id: patientId,
      arm: rating.arm,
      effort: rating.effort,
      pain: rating.pain,
      skipped: rating.skipped ? 1 : 0,
      pain_pause_at: rating.painPauseAt,
      rated_at: new Date(rating.ratedAt).toISOString(),
      stored_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.columns(['session_id', 'set_index']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

type Row = SetRatingTable & { session_started_at: string };

const toStored = (r: Row): StoredSetRating => ({
  sessionId: r.session_id,
  setIndex: Number(r.set_index),
  arm: r.arm as StoredSetRating['arm'],
  effort: r.effort === null ? null : Number(r.effort),
  pain: r.pain === null ? null : Number(r.pain),
  skipped: Number(r.skipped) === 1,
  painPauseAt: Number(r.pain_pause_at),
  ratedAt: r.rated_at,
  sessionStartedAt: r.session_started_at,
});

const withSession = (db: Db) =>
  db
    .selectFrom('set_ratings')
    .innerJoin('sessions', 'sessions.id', 'set_ratings.session_id')
    .selectAll('set_ratings')
    .select('sessions.started_at as session_started_at');

/** One set's stored rating (the one that stood), or undefined. */
export async function findSetRating(
  db: Db,
  sessionId: string,
  setIndex: number,
): Promise<StoredSetRating | undefined> {
  const row = await withSession(db)
    .where('set_ratings.session_id', '=', sessionId)
    .where('set_ratings.set_index', '=', setIndex)
    .executeTakeFirst();
  return row === undefined ? undefined : toStored(row);
}

/** A session's ratings in set order. */
export async function listSessionRatings(db: Db, sessionId: string): Promise<StoredSetRating[]> {
  const rows = await withSession(db)
    .where('set_ratings.session_id', '=', sessionId)
    .orderBy('set_ratings.set_index')
    .execute();
  return rows.map(toStored);
}

/** Every rating of a patient: oldest session first, each session's in set order. */
export async function listPatientRatings(db: Db, patientId: string): Promise<StoredSetRating[]> {
  const rows = await withSession(db)
    .where('set_ratings.patient_id', '=', patientId)
    .orderBy('sessions.started_at')
    .orderBy('set_ratings.session_id')
    .orderBy('set_ratings.set_index')
    .execute();
  return rows.map(toStored);
}

/** The patient's effort and pain after each set. */
export interface RatingRepository {
  /** Stores a set's rating unless already rated (durable when it returns); whether it stored. */
  insertOnce(patientId: string, rating: SetRatingRecord): Promise<boolean>;
  find(sessionId: string, setIndex: number): Promise<StoredSetRating | undefined>;
  listOfSession(sessionId: string): Promise<StoredSetRating[]>;
  listOfPatient(patientId: string): Promise<StoredSetRating[]>;
}

export function kyselyRatingRepository(db: Db): RatingRepository {
  return {
    insertOnce: (patientId, rating) =>
      durably(db, (tx) => insertSetRatingOnce(tx, patientId, rating)),
    find: (sessionId, setIndex) => findSetRating(db, sessionId, setIndex),
    listOfSession: (sessionId) => listSessionRatings(db, sessionId),
    listOfPatient: (patientId) => listPatientRatings(db, patientId),
  };
}
