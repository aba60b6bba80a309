import { describe, expect, it } from 'vitest';
import {
  armToFollow,
  difficultyInForce,
  fieldsFollowing,
  followDifficulty,
  isTyped,
  type DifficultyFields,
} from '../../../client/therapist/live/followed-difficulty';
import {
  initialControlState,
  reduceControl,
  type ControlState,
} from '../../../client/therapist/state/control-machine';
import {
  DEFAULT_DIFFICULTY,
  type ArmDifficulty,
  type DifficultyConfig,
} from '../../../shared/clinical/difficulty';
import type { ControlCommand } from '../../../shared/protocol/control';

const plan: ArmDifficulty = {
  right: { ...DEFAULT_DIFFICULTY },
  left: { ...DEFAULT_DIFFICULTY, maxLevel: 60, radius: { easy: 0.1, hard: 0.04 } },
};
const radius7: DifficultyConfig = { ...plan.right, radius: { easy: 0.07, hard: 0.02 } };

/** The fields with the radius row's easiest end typed to `easy` (m). */
const typeRadiusEasy = (fields: DifficultyFields, easy: number): DifficultyFields => ({
  ...fields,
  ranges: { ...fields.ranges, radius: { ...fields.ranges.radius, easy } },
});

const send = (control: ControlState, commandId: string, command: ControlCommand) =>
  reduceControl(control, { type: 'sent', commandId, command, atMs: 1 });
const applied = (control: ControlState, commandId: string) =>
  reduceControl(control, { type: 'applied', commandId, atMs: 2 });

describe('the live difficulty fields follow the settings in force', () => {
  it('show the arm’s settings in force, and the same fields when nothing changed', () => {
    const fields = fieldsFollowing('left', plan.left);
    expect(fields).toEqual({
      arm: 'left',
      followed: plan.left,
      ranges: {
        distance: { easy: 0.4, hard: 0.95 },
        radius: { easy: 0.1, hard: 0.04 },
        timeLimit: { easy: 6, hard: 1.5 },
        spread: { easy: 20, hard: 120 },
      },
      levels: { minLevel: 0, maxLevel: 60 },
    });
    expect(isTyped(fields)).toBe(false);
    expect(followDifficulty(fields, 'left', { ...plan.left })).toBe(fields);
  });

  it('keep a typed row when another change comes into force, and take the change elsewhere', () => {
    const typed = { ...typeRadiusEasy(fieldsFollowing('right', plan.right), 0.07) };
    typed.ranges = { ...typed.ranges, distance: { easy: 0.4, hard: 0.9 } };
    const lowerCeiling = { ...plan.right, maxLevel: 80 };
    const next = followDifficulty(typed, 'right', lowerCeiling);
    expect([next.levels, next.ranges.radius, next.ranges.distance]).toEqual([
      { minLevel: 0, maxLevel: 80 },
      { easy: 0.07, hard: 0.02 },
      { easy: 0.4, hard: 0.9 },
    ]);
    // The radius comes into force: that row is no longer typed, the distance row still is.
    const radiusInForce = followDifficulty(next, 'right', {
      ...lowerCeiling,
      radius: radius7.radius,
    });
    expect(radiusInForce.ranges.radius).toEqual({ easy: 0.07, hard: 0.02 });
    expect(isTyped(radiusInForce)).toBe(true);
    expect(
      isTyped(
        followDifficulty(radiusInForce, 'right', {
          ...lowerCeiling,
          radius: radius7.radius,
          distance: { easy: 0.4, hard: 0.9 },
        }),
      ),
    ).toBe(false);
  });

  it('show another arm’s settings whole when the selector changes arm (what was typed is dropped)', () => {
    const typed = typeRadiusEasy(fieldsFollowing('right', plan.right), 0.07);
    expect(followDifficulty(typed, 'left', plan.left)).toEqual(fieldsFollowing('left', plan.left));
  });

  it('follow the arm in play unless a row is typed, which pins the arm', () => {
    const fields = fieldsFollowing('right', plan.right);
    expect(armToFollow(fields, 'left')).toBe('left');
    expect(armToFollow(fields, null)).toBeNull();
    expect(armToFollow(typeRadiusEasy(fields, 0.07), 'left')).toBeNull();
  });
});

describe('the settings in force', () => {
  const setRadius: ControlCommand = {
    type: 'setDifficulty',
    arm: 'right',
    change: { radius: radius7.radius },
    keep: false,
  };

  it('are the ones the headset publishes, when it does', () => {
    const published = { ...plan, right: radius7 };
    const control = applied(send(initialControlState(), 'c1', setRadius), 'c1');
    expect(difficultyInForce(published, plan, control.entries)).toBe(published);
  });

  it('from an older headset: the plan’s with each change it confirmed, in order, per arm', () => {
    let control = send(initialControlState(), 'c1', setRadius);
    control = send(control, 'c2', { type: 'setTask', task: 'hold' });
    expect(difficultyInForce(undefined, plan, control.entries)).toEqual(plan);
    control = applied(applied(control, 'c1'), 'c2');
    control = send(control, 'c3', {
      type: 'setDifficulty',
      arm: 'right',
      change: { radius: { easy: 0.05, hard: 0.02 } },
    });
    control = reduceControl(control, { type: 'failed', commandId: 'c3', atMs: 3, error: 'no' });
    control = applied(
      send(control, 'c4', { type: 'setDifficulty', arm: 'left', change: { maxLevel: 30 } }),
      'c4',
    );
    // A change the plan's bounds no longer take (minimum above its maximum of 30): not in force.
    control = applied(
      send(control, 'c5', { type: 'setDifficulty', arm: 'left', change: { minLevel: 40 } }),
      'c5',
    );
    expect(difficultyInForce(null, plan, control.entries)).toEqual({
      right: radius7,
      left: { ...plan.left, maxLevel: 30 },
    });
  });

  it('let the arm follow play again once an older headset applied what was typed', () => {
    // The session plays the right arm; the therapist types the right arm's target radius and
    // applies it. The headset publishes no settings.
    let fields = typeRadiusEasy(fieldsFollowing('right', plan.right), 0.07);
    let control = send(initialControlState(), 'c1', setRadius);
    const follow = () => {
      const inForce = difficultyInForce(null, plan, control.entries);
      fields = followDifficulty(fields, fields.arm, inForce[fields.arm]);
    };
    follow();
    expect(armToFollow(fields, 'left')).toBeNull();
    control = applied(control, 'c1');
    follow();
    // The radius stays as typed (it is in force now), and the next set's arm is followed.
    expect(fields.ranges.radius).toEqual({ easy: 0.07, hard: 0.02 });
    expect(armToFollow(fields, 'left')).toBe('left');
  });
});
