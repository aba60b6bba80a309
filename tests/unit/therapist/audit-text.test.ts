import { describe, expect, it } from 'vitest';
import { describeAuditEntry } from '../../../client/therapist/history/audit-text';

const ME = 'th-1';
const by = (
  action: string,
  newValue: unknown = null,
  oldValue: unknown = null,
  actorKind: 'therapist' | 'device' | 'anonymous' | 'system' = 'therapist',
  actorId: string | null = ME,
) => describeAuditEntry({ action, actorKind, actorId, oldValue, newValue }, ME);

describe('audit log as sentences', () => {
  it('names the actor: you, another therapist, the headset, someone not signed in', () => {
    expect(by('auth.login')).toBe('You signed in.');
    expect(by('auth.login', null, null, 'therapist', 'th-2')).toBe('Another therapist signed in.');
    expect(by('session.start', { mode: 'live' }, null, 'device', 'dev-1')).toBe(
      'The headset started a live session.',
    );
    expect(by('auth.login_failed', null, null, 'anonymous', null)).toBe(
      'Someone not signed in tried to sign in with a wrong password.',
    );
  });

  it('says what a live command did, with the value before', () => {
    expect(
      by(
        'control.setDifficulty',
        {
          command: {
            type: 'setDifficulty',
            change: { level: 30, minLevel: 20, timeLimit: { easy: 8, hard: 2 } },
          },
          applied: true,
        },
        { level: 52, params: {} },
      ),
    ).toBe(
      'You changed the difficulty: level 30; minimum level 20; time limit easy 8, hard 2 (level was 52).',
    );
    expect(
      by(
        'control.setTask',
        { command: { type: 'setTask', task: 'grasp' }, applied: true },
        { task: 'touch' },
      ),
    ).toBe('You switched the task to Grasp and place (was Reach and touch).');
    expect(
      by('control.setPlacement', {
        command: { type: 'setPlacement', placement: { mode: 'sector', sectors: [16, 17, 99] } },
        applied: true,
      }),
    ).toBe('You set target placement to sector: up and across.');
    expect(
      by('control.setPlacement', {
        command: { type: 'setPlacement', placement: { mode: 'focus' } },
        applied: true,
      }),
    ).toBe('You set target placement to focus.');
    expect(by('control.pause', { command: { type: 'pause' }, applied: false })).toBe(
      'You paused the session, but the headset did not apply it.',
    );
  });

  it('describes patient changes field by field, without repeating the notes', () => {
    expect(
      by(
        'patient.update',
        { affectedArm: 'left', notes: 'long text' },
        { affectedArm: 'right', notes: 'x' },
      ),
    ).toBe('You changed the affected arm from right to left, changed the notes.');
  });

  it('describes sessions, calibration and exports', () => {
    expect(
      by('session.end', { endedAt: '2026-01-01T10:00:00Z', reason: 'time_up' }, null, 'device'),
    ).toBe('The headset ended the session: the time was up.');
    expect(
      by(
        'calibration.save',
        { right: { reach: { forward: 0.55, outward: 0.5, up: 0.4, across: 0.3 } } },
        {},
        'device',
      ),
    ).toBe(
      'The headset measured the reach of the right arm (forward 55 cm, outward 50 cm, up 40 cm, across 30 cm).',
    );
    expect(
      by(
        'calibration.superseded',
        { right: { reach: { forward: 0.5 }, measuredAt: '2026-03-02T09:00:00.000Z' } },
        { right: { reach: { forward: 0.6 }, measuredAt: '2026-03-03T09:00:00.000Z' } },
        'device',
      ),
    ).toBe(
      'The headset sent an older measurement of the right arm than the one stored, which was kept.',
    );
    expect(by('export.fhir')).toBe('You exported the session as a FHIR record.');
    expect(by('export.trials_csv')).toBe("You exported the session's trials as CSV.");
  });

  it('describes account and hand-over entries', () => {
    expect(
      by(
        'patient.transfer',
        { therapistId: 't2', username: 'bea' },
        { therapistId: 't1', username: 'al' },
        'system',
        null,
      ),
    ).toBe('The system handed the patient over to bea (from al).');
    expect(by('therapist.transfer_patients', { toTherapistId: 't2', patients: 3 })).toBe(
      'You handed 3 patients over to another therapist.',
    );
    expect(
      by('pairing.code_voided', { reason: 'too many wrong codes' }, null, 'system', null),
    ).toBe('The system voided a pairing code after too many wrong codes.');
  });

  it('falls back to the action name for unknown or malformed entries, never crashing', () => {
    expect(by('something.new', { a: 1 })).toBe('You did "something.new".');
    expect(by('control.setDifficulty', 'not an object', 42)).toBe('You changed the difficulty.');
    expect(by('patient.update', null)).toBe('You changed the patient record.');
    expect(by('session.end', { reason: '<script>' }, null, 'device')).toBe(
      'The headset ended the session.',
    );
    expect(by('export.' + 'x'.repeat(200)).length).toBeLessThan(120);
  });
});
