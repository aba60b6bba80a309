import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type SqlDialect = 'sqlite' | 'postgres';

/** Versioned schema changes, in code so the server needs no files beside it. Never edit one. */
const migrations = (dialect: SqlDialect): Record<string, Migration> => ({
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('therapists')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('login_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('therapist_id', 'text', (c) =>
          c.notNull().references('therapists.id').onDelete('cascade'),
        )
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('patients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('therapist_id', 'text', (c) => c.notNull().references('therapists.id'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('affected_arm', 'text', (c) => c.notNull())
        .addColumn('posture', 'text', (c) => c.notNull())
        .addColumn('notes', 'text', (c) => c.notNull())
        .addColumn('plan_json', 'text')
        .addColumn('calibration_json', 'text', (c) => c.notNull())
        .addColumn('difficulty_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('patients_therapist_code', ['therapist_id', 'code'])
        .execute();
      await db.schema
        .createTable('pairing_codes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('patient_id', 'text', (c) =>
          c.notNull().references('patients.id').onDelete('cascade'),
        )
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema
        .createIndex('pairing_codes_hash')
        .on('pairing_codes')
        .column('code_hash')
        .execute();
      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('patient_id', 'text', (c) =>
          c.notNull().references('patients.id').onDelete('cascade'),
        )
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('patient_id', 'text', (c) =>
          c.notNull().references('patients.id').onDelete('cascade'),
        )
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addColumn('end_reason', 'text')
        .addColumn('last_state_json', 'text')
        .execute();
      await db.schema
        .createIndex('sessions_patient')
        .on('sessions')
        .columns(['patient_id', 'started_at'])
        .execute();
      await db.schema
        .createTable('trials')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('session_id', 'text', (c) =>
          c.notNull().references('sessions.id').onDelete('cascade'),
        )
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('trial_number', 'integer', (c) => c.notNull())
        .addColumn('arm', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('level_after', 'double precision', (c) => c.notNull())
        .addColumn('result_json', 'text', (c) => c.notNull())
        .addColumn('samples_json', 'text', (c) => c.notNull())
        .addColumn('stored_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('trials_session')
        .on('trials')
        .columns(['session_id', 'trial_number'])
        .execute();
      await db.schema
        .createTable('audit_log')
        // A sequence, not the clock, orders the log: entries in the same millisecond stay in order.
        .addColumn('seq', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_kind', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('patient_id', 'text')
        .addColumn('session_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('old_value_json', 'text')
        .addColumn('new_value_json', 'text')
        .execute();
      await db.schema
        .createIndex('audit_patient')
        .on('audit_log')
        .columns(['patient_id', 'seq'])
        .execute();
    },
  },
  '0002_session_calibration': {
    async up(db: Kysely<unknown>) {
      // The workspace the session was played in, so progress in reach survives recalibration.
      await db.schema.alterTable('sessions').addColumn('calibration_json', 'text').execute();
    },
  },
  '0003_account_control': {
    async up(db: Kysely<unknown>) {
      // A disabled account cannot sign in and its tokens stop working.
      await db.schema.alterTable('therapists').addColumn('disabled_at', 'text').execute();
      // Bumped when the account's open sockets must go (password reset, disable, patients handed
      // over); every server process watches it, so the change reaches sockets on any process.
      await db.schema.alterTable('therapists').addColumn('access_changed_at', 'text').execute();
      await db.schema
        .createIndex('login_tokens_therapist')
        .on('login_tokens')
        .column('therapist_id')
        .execute();
      // Wrong pairing codes sent (from any address) while this code was pending.
      await db.schema
        .alterTable('pairing_codes')
        .addColumn('wrong_guesses', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  '0004_levels_per_arm': {
    async up(db: Kysely<unknown>) {
      // Each arm's level in its own columns, apart from the settings (the plan's, per arm): one
      // conditional UPDATE stores a level, so a trial and a therapist's change never overwrite each
      // other's write, and two arms' trials never overwrite each other's level.
      for (const column of ['left_level', 'right_level'])
        await db.schema.alterTable('patients').addColumn(column, 'double precision').execute();
      for (const column of ['left_level_at', 'right_level_at'])
        await db.schema.alterTable('patients').addColumn(column, 'text').execute();
      type Stored = { level?: number; updatedAt?: string };
      const rows = await sql<{ id: string; difficulty_json: string }>`
        select id, difficulty_json from patients`.execute(db);
      for (const row of rows.rows) {
        const state = JSON.parse(row.difficulty_json) as { left?: Stored; right?: Stored };
        const left = state.left?.level !== undefined ? state.left : null;
        const right = state.right?.level !== undefined ? state.right : null;
        await sql`update patients set
            left_level = ${left?.level ?? null}, left_level_at = ${left?.updatedAt ?? null},
            right_level = ${right?.level ?? null}, right_level_at = ${right?.updatedAt ?? null}
          where id = ${row.id}`.execute(db);
      }
      // The per-arm configurations kept in that column were written by live "Apply" clicks without
      // the therapist knowing (the plan editor never showed them); the plan is what the therapist
      // set and saw, so it alone holds the settings from now on.
      await db.schema.alterTable('patients').dropColumn('difficulty_json').execute();
    },
  },
  '0005_set_ratings': {
    async up(db: Kysely<unknown>) {
      // The patient's effort and pain after each set. One row per set of a session: the first
      // answer stands, so a headset resending it from its outbox changes nothing.
      await db.schema
        .createTable('set_ratings')
        .addColumn('session_id', 'text', (c) =>
          c.notNull().references('sessions.id').onDelete('cascade'),
        )
        .addColumn('set_index', 'integer', (c) => c.notNull())
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('arm', 'text', (c) => c.notNull())
        .addColumn('effort', 'double precision')
        .addColumn('pain', 'integer')
        .addColumn('skipped', 'integer', (c) => c.notNull())
        .addColumn('pain_pause_at', 'integer', (c) => c.notNull())
        .addColumn('rated_at', 'text', (c) => c.notNull())
        .addColumn('stored_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('set_ratings_pk', ['session_id', 'set_index'])
        .execute();
      await db.schema
        .createIndex('set_ratings_patient')
        .on('set_ratings')
        .columns(['patient_id', 'rated_at'])
        .execute();
    },
  },
  '0006_clinical_scales': {
    async up(db: Kysely<unknown>) {
      // Scores of standard scales (Fugl-Meyer, ARAT, Box and Block) the therapist measured by
      // hand, one row per score; corrections update the row, the audit log keeps the old value.
      await db.schema
        .createTable('clinical_scales')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('patient_id', 'text', (c) =>
          c.notNull().references('patients.id').onDelete('cascade'),
        )
        .addColumn('scale', 'text', (c) => c.notNull())
        .addColumn('arm', 'text', (c) => c.notNull())
        .addColumn('value', 'double precision', (c) => c.notNull())
        .addColumn('measured_on', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('clinical_scales_patient')
        .on('clinical_scales')
        .columns(['patient_id', 'measured_on'])
        .execute();
    },
  },
  '0007_session_world': {
    async up(db: Kysely<unknown>) {
      // The world the session was played in: a theme, kept so the therapist can read it beside
      // the measures. Null for the sessions recorded before it (not known).
      await db.schema.alterTable('sessions').addColumn('world', 'text').execute();
    },
  },
  '0008_trial_flags': {
    async up(db: Kysely<unknown>) {
      // Trials found abnormal against the patient's own baseline, and the trial with which a
      // session's fatigue was found, as the live check saw them on arrival (the baseline then
      // held only the trials stored before): the session report shows what the therapist saw.
      await db.schema
        .createTable('trial_flags')
        .addColumn('trial_id', 'text', (c) =>
          c.primaryKey().references('trials.id').onDelete('cascade'),
        )
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('fatigue', 'integer', (c) => c.notNull())
        .addColumn('flags_json', 'text', (c) => c.notNull())
        .addColumn('stored_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('trial_flags_session')
        .on('trial_flags')
        .column('session_id')
        .execute();
      // The live check's baseline reads a patient's latest trials across sessions.
      await db.schema
        .createIndex('trials_patient')
        .on('trials')
        .columns(['patient_id', 'started_at'])
        .execute();
    },
  },
  '0009_trial_assessment': {
    async up(db: Kysely<unknown>) {
      // 1 for a trial of the standard reach test (fixed, never adapted), so trends and exports
      // can pick those trials without parsing every result. Trials stored before the test: 0.
      await db.schema
        .alterTable('trials')
        .addColumn('assessment', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  '0010_performance_maps': {
    async up(db: Kysely<unknown>) {
      // The spatial performance map per patient and arm (issue 12), kept current per stored trial.
      // Derived from the stored trials, so it can always be rebuilt: `trials_counted` is how many
      // of the arm's trials it holds, and a count that does not match makes the server rebuild it.
      await db.schema
        .createTable('performance_maps')
        .addColumn('patient_id', 'text', (c) =>
          c.notNull().references('patients.id').onDelete('cascade'),
        )
        .addColumn('arm', 'text', (c) => c.notNull())
        .addColumn('snapshot_json', 'text', (c) => c.notNull())
        .addColumn('trials_counted', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('performance_maps_pk', ['patient_id', 'arm'])
        .execute();
      await db.schema
        .createIndex('trials_patient_arm')
        .on('trials')
        .columns(['patient_id', 'arm'])
        .execute();
    },
  },
  '0011_abnormal_alerts': {
    async up(db: Kysely<unknown>) {
      // The abnormal-trial alerts the live view showed (at most one a minute per session), each
      // with the trial it went out with: a live view that reloads or reconnects shows the
      // session's latest again. The count it folded depends on when trials arrived, so it is kept
      // as sent rather than derived again from the stored flags.
      await db.schema
        .createTable('abnormal_alerts')
        .addColumn('trial_id', 'text', (c) =>
          c.primaryKey().references('trials.id').onDelete('cascade'),
        )
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('trials', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('raised_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('abnormal_alerts_session')
        .on('abnormal_alerts')
        .columns(['session_id', 'raised_at'])
        .execute();
    },
  },
});

export const migrationProvider = (dialect: SqlDialect): MigrationProvider => ({
  getMigrations: async () => migrations(dialect),
});
