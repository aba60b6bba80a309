import type { Generated } from 'kysely';

/**
 * Tables as Kysely sees them. Portable types only (text, integer, double precision) so SQLite and
 * PostgreSQL behave alike: times are ISO 8601 UTC strings (they sort as text), structured values
 * are JSON text, booleans are 0/1.
 */
export interface TherapistTable {
  id: string;
  username: string;
  password_hash: string;
  created_at: string;
  /** Set while the account is disabled (no sign-in, no token works). */
  disabled_at: Generated<string | null>;
  /** When the account's open sockets were last ordered closed (watched by every process). */
  access_changed_at: Generated<string | null>;
}

export interface LoginTokenTable {
  id: string;
  therapist_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface PatientTable {
  id: string;
  therapist_id: string;
  code: string;
  label: string;
  affected_arm: string;
  posture: string;
  notes: string;
  plan_json: string | null;
  calibration_json: string;
  /** Each arm's current level and when the trial that set it ended (0004); null: none yet. */
  left_level: number | null;
  left_level_at: string | null;
  right_level: number | null;
  right_level_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PairingCodeTable {
  id: string;
  patient_id: string;
  code_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** Wrong codes sent by anyone while this one was pending; it dies at MAX_WRONG_GUESSES_PER_CODE. */
  wrong_guesses: Generated<number>;
}

export interface DeviceTable {
  id: string;
  patient_id: string;
  token_hash: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

export interface SessionTable {
  id: string;
  patient_id: string;
  device_id: string;
  mode: string;
  started_at: string;
  ended_at: string | null;
  end_reason: string | null;
  last_state_json: string | null;
  /** The patient's calibration while the session ran (JSON `Calibration`); null before 0002. */
  calibration_json: string | null;
  /** The world the session started in (`PlayedWorld`); null before 0007 or from older headsets. */
  world: string | null;
}

export interface TrialTable {
  id: string;
  session_id: string;
  patient_id: string;
  trial_number: number;
  arm: string;
  outcome: string;
  started_at: string;
  level_after: number;
  /** 1 for a trial of the standard reach test, else 0 (all trials stored before it existed). */
  assessment: Generated<number>;
  /** The trial without its samples, as received. */
  result_json: string;
  samples_json: string;
  stored_at: string;
}

export interface AuditTable {
  seq: Generated<number>;
  id: string;
  at: string;
  actor_kind: string;
  actor_id: string | null;
  patient_id: string | null;
  session_id: string | null;
  action: string;
  old_value_json: string | null;
  new_value_json: string | null;
}

/** The patient's effort and pain after one set (0005); `skipped` is 0 or 1. */
export interface SetRatingTable {
  session_id: string;
  /** 0-based over the session's sets, in plan order. */
  set_index: number;
  patient_id: string;
  arm: string;
  effort: number | null;
  pain: number | null;
  skipped: number;
  pain_pause_at: number;
  rated_at: string;
  stored_at: string;
}

/** A score of a clinical scale measured by the therapist (0006). */
export interface ClinicalScaleTable {
  id: string;
  patient_id: string;
  scale: string;
  arm: string;
  value: number;
  /** YYYY-MM-DD, the day of the assessment. */
  measured_on: string;
  note: string;
  /** Therapist id of whoever recorded it. */
  recorded_by: string;
  recorded_at: string;
  updated_at: string;
}

/**
 * A trial flagged against the patient's own baseline, or the one with which the session's
 * fatigue was found (0008). `flags_json`: its `TrialFlags`; `fatigue` 0 or 1.
 */
export interface TrialFlagTable {
  trial_id: string;
  session_id: string;
  patient_id: string;
  fatigue: number;
  flags_json: string;
  stored_at: string;
}

/**
 * An abnormal-trial alert as the live view got it (0011), with the trial it went out with.
 * `trials`: the flagged trials it stands for.
 */
export interface AbnormalAlertTable {
  trial_id: string;
  session_id: string;
  patient_id: string;
  trials: number;
  text: string;
  raised_at: string;
}

/** One arm's performance map (0010): a `MapSnapshot` and how many of the arm's trials it holds. */
export interface PerformanceMapTable {
  patient_id: string;
  arm: string;
  snapshot_json: string;
  trials_counted: number;
  updated_at: string;
}

export interface Database {
  therapists: TherapistTable;
  login_tokens: LoginTokenTable;
  patients: PatientTable;
  pairing_codes: PairingCodeTable;
  devices: DeviceTable;
  sessions: SessionTable;
  trials: TrialTable;
  set_ratings: SetRatingTable;
  audit_log: AuditTable;
  clinical_scales: ClinicalScaleTable;
  trial_flags: TrialFlagTable;
  performance_maps: PerformanceMapTable;
  abnormal_alerts: AbnormalAlertTable;
}
