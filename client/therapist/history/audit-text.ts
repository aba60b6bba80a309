import type { z } from 'zod';
import { SCALES } from '../../../shared/clinical/scales';
import { describeSectors, isSectorId } from '../../../shared/clinical/personal';
import type { auditEntrySchema } from '../../../shared/protocol/http';
import { taskText } from '../ui/task-text';

/**
 * The audit log as sentences a therapist reads ("You paused the session."), not raw JSON. The
 * values come from the server's records and may be old or unexpected: every reader here checks
 * what it gets and falls back to naming the action, and text is cut short (React shows it as
 * text, never markup).
 */
type Entry = Pick<
  z.infer<typeof auditEntrySchema>,
  'action' | 'actorKind' | 'actorId' | 'oldValue' | 'newValue'
>;

const MAX_TEXT = 80;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const field = (v: unknown, key: string): unknown => (isRecord(v) ? v[key] : undefined);

function text(v: unknown): string {
  if (typeof v === 'string') return v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT)}…` : v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : '?';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return '?';
}

/** A task by the name the dashboard gives it (a name it does not know as it came). */
const taskName = (v: unknown): string => text(typeof v === 'string' ? taskText(v) : v);

function actor(e: Entry, ownId: string | null): string {
  switch (e.actorKind) {
    case 'therapist':
      return ownId !== null && e.actorId === ownId ? 'You' : 'Another therapist';
    case 'device':
      return 'The headset';
    case 'system':
      return 'The system';
    default:
      return 'Someone not signed in';
  }
}

const END_REASONS: Record<string, string> = {
  plan_complete: 'the plan was complete',
  time_up: 'the time was up',
  patient: 'the patient ended it',
  therapist: 'the therapist ended it',
  abandoned: 'it was abandoned',
};

const EXPORTS: Record<string, string> = {
  trials_csv: "the session's trials as CSV",
  sessions_csv: 'all sessions as CSV',
  map_csv: 'the performance map as CSV',
  trends_csv: 'the recovery trends as CSV',
  alerts_csv: 'the alerts as CSV',
  fhir: 'the session as a FHIR record',
  patient: "all of the patient's data",
  scales_csv: 'the clinical scales as CSV',
  scales_fhir: 'the clinical scales as FHIR records',
};

/** "ARAT 21 (right arm, 2026-02-03)" from a stored score, as far as it can be read. */
function score(v: unknown): string {
  const scale = field(v, 'scale');
  const known = SCALES.find((s) => s.key === scale);
  const name = known ? known.short : 'a score';
  const value = field(v, 'value');
  const arm = field(v, 'arm');
  const on = field(v, 'measuredOn');
  const context = [
    typeof arm === 'string' ? `${text(arm)} arm` : null,
    typeof on === 'string' ? text(on) : null,
  ]
    .filter((x) => x !== null)
    .join(', ');
  return `${name}${typeof value === 'number' ? ` ${text(value)}` : ''}${context ? ` (${context})` : ''}`;
}

const PATIENT_FIELDS: Record<string, string> = {
  label: 'the name label',
  affectedArm: 'the affected arm',
  posture: 'the posture',
  notes: 'the notes',
  plan: 'the session plan',
};

const DIFFICULTY_FIELDS: Record<string, string> = {
  level: 'level',
  minLevel: 'minimum level',
  maxLevel: 'maximum level',
  targetSuccess: 'target success',
  gain: 'step size',
  distance: 'distance',
  radius: 'target radius',
  timeLimit: 'time limit',
  spread: 'spread',
};

function difficultyChange(change: unknown): string {
  if (!isRecord(change)) return '';
  const parts = Object.entries(change).map(([key, value]) => {
    const name = DIFFICULTY_FIELDS[key] ?? text(key);
    if (isRecord(value)) return `${name} easy ${text(value.easy)}, hard ${text(value.hard)}`;
    if (key === 'targetSuccess' && typeof value === 'number')
      return `${name} ${Math.round(value * 100)} %`;
    return `${name} ${text(value)}`;
  });
  return parts.join('; ');
}

function patientUpdate(oldValue: unknown, newValue: unknown): string {
  if (!isRecord(newValue)) return 'changed the patient record';
  const parts = Object.keys(newValue).map((key) => {
    const name = PATIENT_FIELDS[key] ?? text(key);
    const before = field(oldValue, key);
    const after = newValue[key];
    const simple = (v: unknown) => typeof v === 'string' || typeof v === 'number';
    if (key === 'notes' || !simple(after)) return `changed ${name}`;
    return simple(before)
      ? `changed ${name} from ${text(before)} to ${text(after)}`
      : `set ${name} to ${text(after)}`;
  });
  return parts.length === 0 ? 'changed the patient record' : parts.join(', ');
}

const cm = (v: unknown) => (typeof v === 'number' ? `${Math.round(v * 100)} cm` : '?');

function calibration(oldValue: unknown, newValue: unknown): string {
  const arms = (['left', 'right'] as const).filter((arm) => {
    const after = field(newValue, arm);
    return isRecord(after) && JSON.stringify(after) !== JSON.stringify(field(oldValue, arm));
  });
  if (arms.length === 0) return 'saved the calibration';
  return `measured the reach of the ${arms
    .map((arm) => {
      const r = field(field(newValue, arm), 'reach');
      return `${arm} arm (forward ${cm(field(r, 'forward'))}, outward ${cm(field(r, 'outward'))}, up ${cm(field(r, 'up'))}, across ${cm(field(r, 'across'))})`;
    })
    .join(' and ')}`;
}

/** A headset's measurement older than the stored one of the same arms, which stayed. */
function supersededCalibration(newValue: unknown): string {
  const arms = (['left', 'right'] as const).filter((arm) => isRecord(field(newValue, arm)));
  const which = arms.length === 0 ? 'an arm' : `the ${arms.join(' and ')} arm`;
  return `sent an older measurement of ${which} than the one stored, which was kept`;
}

function control(type: string, oldValue: unknown, newValue: unknown): string {
  const command = field(newValue, 'command');
  const applied = field(newValue, 'applied');
  let what: string;
  switch (type) {
    case 'pause':
      what = 'paused the session';
      break;
    case 'resume':
      what = 'resumed the session';
      break;
    case 'end':
      what = 'ended the session';
      break;
    case 'recenter':
      what = "re-centred the patient's view";
      break;
    case 'setTask': {
      const before = field(oldValue, 'task');
      what = `switched the task to ${taskName(field(command, 'task'))}${before === undefined ? '' : ` (was ${taskName(before)})`}`;
      break;
    }
    case 'setArm': {
      const before = field(oldValue, 'arm');
      what = `switched to the ${text(field(command, 'arm'))} arm${before === undefined ? '' : ` (was ${text(before)})`}`;
      break;
    }
    case 'setDifficulty': {
      const change = difficultyChange(field(command, 'change'));
      const before = field(oldValue, 'level');
      what = `changed the difficulty${change ? `: ${change}` : ''}${typeof before === 'number' ? ` (level was ${text(before)})` : ''}`;
      break;
    }
    case 'setPlacement': {
      const placement = field(command, 'placement');
      const sectors = field(placement, 'sectors');
      const mode = field(placement, 'mode');
      const chosen = Array.isArray(sectors) ? sectors.filter(isSectorId) : [];
      what = `set target placement to ${text(mode)}${mode === 'sector' ? `: ${describeSectors(chosen)}` : ''}`;
      break;
    }
    default:
      what = `sent the command "${text(type)}"`;
  }
  return applied === false ? `${what}, but the headset did not apply it` : what;
}

/** What the entry did, after the actor ("paused the session"). */
function deed(e: Entry): string {
  const [group, kind = ''] = e.action.split('.', 2) as [string, string?];
  switch (e.action) {
    case 'auth.login':
      return 'signed in';
    case 'auth.login_failed':
      return 'tried to sign in with a wrong password';
    case 'auth.logout':
      return 'signed out';
    case 'patient.create':
      return 'created the patient record';
    case 'patient.update':
      return patientUpdate(e.oldValue, e.newValue);
    case 'patient.erase':
      return "erased all of the patient's data";
    case 'pairing.code_issued':
      return 'issued a pairing code for a headset';
    case 'pairing.failed':
      return 'tried to pair a headset with a wrong code';
    case 'pairing.paired':
      return 'paired a headset';
    case 'device.revoke':
      return 'unpaired a headset';
    case 'session.start':
      return field(e.newValue, 'mode') === 'home'
        ? 'started a session at home'
        : 'started a live session';
    case 'session.end': {
      const reason = field(e.newValue, 'reason');
      const why = typeof reason === 'string' ? END_REASONS[reason] : undefined;
      return why ? `ended the session: ${why}` : 'ended the session';
    }
    case 'calibration.save':
      return calibration(e.oldValue, e.newValue);
    case 'calibration.superseded':
      return supersededCalibration(e.newValue);
    case 'plan.difficulty_kept': {
      const arm = field(e.newValue, 'arm');
      return `kept the live difficulty change for the next sessions${typeof arm === 'string' ? ` (${text(arm)} arm)` : ''}`;
    }
    case 'scale.record':
      return `recorded the score ${score(e.newValue)}`;
    case 'scale.correct':
      return `corrected the score ${score(e.oldValue)} to ${score(e.newValue)}`;
    case 'scale.delete':
      return `deleted the score ${score(e.oldValue)}`;
    case 'pairing.code_voided':
      return 'voided a pairing code after too many wrong codes';
    case 'patient.transfer': {
      const from = field(e.oldValue, 'username');
      const to = field(e.newValue, 'username');
      return typeof to === 'string'
        ? `handed the patient over to ${text(to)}${typeof from === 'string' ? ` (from ${text(from)})` : ''}`
        : 'handed the patient over to another therapist';
    }
    case 'therapist.transfer_patients': {
      const n = field(e.newValue, 'patients');
      return typeof n === 'number'
        ? `handed ${text(n)} patient${n === 1 ? '' : 's'} over to another therapist`
        : 'handed patients over to another therapist';
    }
    case 'therapist.disable':
      return 'disabled a therapist account';
    case 'therapist.enable':
      return 'enabled a therapist account';
    case 'therapist.create':
      return 'created a therapist account';
    case 'therapist.password_reset':
      return "reset a therapist's password";
  }
  if (group === 'export') return `exported ${EXPORTS[kind] ?? text(kind)}`;
  if (group === 'control') return control(kind, e.oldValue, e.newValue);
  return `did "${text(e.action)}"`;
}

/** One sentence for an audit entry; `ownId` is the signed-in therapist (shown as "You"). */
export function describeAuditEntry(e: Entry, ownId: string | null): string {
  return `${actor(e, ownId)} ${deed(e)}.`;
}
