import { describe, expect, it } from 'vitest';
import {
  controlKey,
  initialControlState,
  latestByKey,
  reduceControl,
  statusLabel,
  type ControlEvent,
} from '../../../client/therapist/state/control-machine';

const ID_A = '11111111-1111-4111-8111-111111111111';
const ID_B = '22222222-2222-4222-8222-222222222222';

const run = (events: ControlEvent[]) => events.reduce(reduceControl, initialControlState());

describe('control state machine', () => {
  it('goes sent -> applied', () => {
    const sent = run([{ type: 'sent', commandId: ID_A, command: { type: 'pause' }, atMs: 10 }]);
    expect(sent.entries[0]).toMatchObject({ status: 'sent', key: 'pause', sentAtMs: 10 });
    expect(statusLabel(sent.entries[0]!)).toBe('sent');
    const applied = reduceControl(sent, { type: 'applied', commandId: ID_A, atMs: 50 });
    expect(applied.entries[0]).toMatchObject({ status: 'applied', answeredAtMs: 50, error: null });
    expect(statusLabel(applied.entries[0]!)).toBe('applied on headset');
  });

  it('says when the server ended the session itself, the headset being away', () => {
    const sent = run([{ type: 'sent', commandId: ID_A, command: { type: 'end' }, atMs: 10 }]);
    const ended = reduceControl(sent, {
      type: 'applied',
      commandId: ID_A,
      atMs: 30,
      endedByServer: true,
    });
    expect(ended.entries[0]).toMatchObject({ status: 'applied', endedByServer: true });
    expect(statusLabel(ended.entries[0]!)).toBe('ended on the server (headset away)');
  });

  it('goes sent -> failed with the server message', () => {
    const state = run([
      { type: 'sent', commandId: ID_A, command: { type: 'end' }, atMs: 0 },
      {
        type: 'failed',
        commandId: ID_A,
        atMs: 5,
        error: { code: 'device_offline', message: 'The headset is offline' },
      },
    ]);
    expect(state.entries[0]).toMatchObject({ status: 'failed', error: 'The headset is offline' });
    expect(statusLabel(state.entries[0]!)).toBe('failed: The headset is offline');
  });

  it('lets a late application override a client timeout but not the reverse', () => {
    const state = run([
      { type: 'sent', commandId: ID_A, command: { type: 'recenter' }, atMs: 0 },
      { type: 'timedOut', commandId: ID_A, atMs: 5000 },
    ]);
    expect(state.entries[0]).toMatchObject({
      status: 'failed',
      error: 'No answer from the headset',
    });
    const late = reduceControl(state, { type: 'applied', commandId: ID_A, atMs: 5100 });
    expect(late.entries[0]!.status).toBe('applied');
    const after = reduceControl(late, { type: 'failed', commandId: ID_A, atMs: 5200, error: 'x' });
    expect(after).toBe(late);
    expect(reduceControl(late, { type: 'timedOut', commandId: ID_A, atMs: 9000 })).toBe(late);
  });

  it('ignores unknown ids and duplicate sends', () => {
    const state = run([{ type: 'sent', commandId: ID_A, command: { type: 'pause' }, atMs: 0 }]);
    expect(reduceControl(state, { type: 'applied', commandId: ID_B, atMs: 1 })).toBe(state);
    expect(
      reduceControl(state, { type: 'sent', commandId: ID_A, command: { type: 'end' }, atMs: 1 }),
    ).toBe(state);
  });

  it('keys commands by the control they change', () => {
    expect(controlKey({ type: 'resume' })).toBe('pause');
    expect(controlKey({ type: 'setTask', task: 'hold' })).toBe('setTask');
    expect(
      controlKey({
        type: 'setDifficulty',
        arm: 'right',
        change: { radius: { easy: 0.05, hard: 0.02 } },
      }),
    ).toBe('difficulty:radius');
    const state = run([
      { type: 'sent', commandId: ID_A, command: { type: 'pause' }, atMs: 0 },
      { type: 'applied', commandId: ID_A, atMs: 1 },
      { type: 'sent', commandId: ID_B, command: { type: 'resume' }, atMs: 2 },
    ]);
    const latest = latestByKey(state);
    expect(latest.size).toBe(1);
    expect(latest.get('pause')).toMatchObject({ commandId: ID_B, status: 'sent' });
  });
});
