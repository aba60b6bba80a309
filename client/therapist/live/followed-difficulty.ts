import {
  withDifficultyChange,
  type ArmDifficulty,
  type DifficultyConfig,
} from '../../../shared/clinical/difficulty';
import type { Arm } from '../../../shared/protocol/primitives';
import type { ControlEntry } from '../state/control-machine';
import type { RangeKey } from '../ui/difficulty-fields';

export type DifficultyRanges = Pick<DifficultyConfig, RangeKey>;
export type DifficultyLevels = Pick<DifficultyConfig, 'minLevel' | 'maxLevel'>;

/** The live difficulty fields: one arm's, with the settings in force they last followed. */
export interface DifficultyFields {
  /** The arm whose settings the fields edit. */
  arm: Arm;
  /** That arm's settings in force when the fields last followed them: a field unlike them was typed in. */
  followed: DifficultyConfig;
  ranges: DifficultyRanges;
  levels: DifficultyLevels;
}

const rangesOf = (c: DifficultyConfig): DifficultyRanges => ({
  distance: { ...c.distance },
  radius: { ...c.radius },
  timeLimit: { ...c.timeLimit },
  spread: { ...c.spread },
});
const levelsOf = (c: DifficultyConfig): DifficultyLevels => ({
  minLevel: c.minLevel,
  maxLevel: c.maxLevel,
});
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Each arm's settings in force as far as the dashboard knows them: as the headset publishes them
 * in its live state (the plan's with this session's live changes); from an older headset, which
 * does not, the plan's with every live change it confirmed applying (in the order sent; a change
 * the plan no longer takes is left out, as the headset refuses it). Without it, a change typed and
 * applied would never read as in force, and would pin the arm for good.
 */
export function difficultyInForce(
  published: ArmDifficulty | null | undefined,
  plan: ArmDifficulty,
  control: readonly ControlEntry[],
): ArmDifficulty {
  if (published) return published;
  let settings = plan;
  for (const { command, status } of control) {
    if (status !== 'applied' || command.type !== 'setDifficulty') continue;
    try {
      settings = withDifficultyChange(settings, command.arm, command.change);
    } catch {
      // Outside this plan's bounds: not in force here either.
    }
  }
  return settings;
}

/** The fields showing `arm`'s settings in force, nothing typed. */
export const fieldsFollowing = (arm: Arm, settings: DifficultyConfig): DifficultyFields => ({
  arm,
  followed: settings,
  ranges: rangesOf(settings),
  levels: levelsOf(settings),
});

/** A field holds what the therapist typed, not (yet) in force. */
export const isTyped = (fields: DifficultyFields): boolean =>
  !sameJson(fields.ranges, rangesOf(fields.followed)) ||
  !sameJson(fields.levels, levelsOf(fields.followed));

/**
 * The arm the difficulty arm selector follows: the arm in play, except while a field holds what
 * was typed (null: it stays where it is), so a set changing arm never moves typed values to the
 * other arm's settings.
 */
export const armToFollow = (fields: DifficultyFields, armInPlay: Arm | null): Arm | null =>
  isTyped(fields) ? null : armInPlay;

/** Each field of `after`, except those typed over (no longer as in `before`): those stay. */
function keepTyped<T extends object>(current: T, before: T, after: T): T {
  const out = { ...after };
  for (const key of Object.keys(current) as (keyof T)[])
    if (!sameJson(current[key], before[key])) out[key] = current[key];
  return out;
}

/**
 * The fields once the selector shows `arm` and its settings in force are `settings`: the same
 * object when nothing changed; another arm's settings whole (what was typed for the other arm is
 * dropped); the same arm's new settings in each untouched field, while a typed one keeps what was
 * typed until it is in force (another change arriving must not wipe it).
 */
export function followDifficulty(
  fields: DifficultyFields,
  arm: Arm,
  settings: DifficultyConfig,
): DifficultyFields {
  if (fields.arm !== arm) return fieldsFollowing(arm, settings);
  if (sameJson(fields.followed, settings)) return fields;
  return {
    arm,
    followed: settings,
    ranges: keepTyped(fields.ranges, rangesOf(fields.followed), rangesOf(settings)),
    levels: keepTyped(fields.levels, levelsOf(fields.followed), levelsOf(settings)),
  };
}
