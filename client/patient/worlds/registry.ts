import type { GameWorld } from '../../../shared/clinical/plan';
import { PLAIN_THINGS, type ThingNames } from '../../../shared/game/instructions';
import type { WorldComponent, WorldName } from './types';

export const WORLD_NAMES: readonly WorldName[] = ['orchard', 'lantern', 'reef', 'plain'];

/** Each world is its own chunk, loaded after the entry screen (while the patient enters VR). */
export const WORLD_LOADERS: Record<WorldName, () => Promise<{ default: WorldComponent }>> = {
  orchard: () => import('./orchard'),
  lantern: () => import('./lantern'),
  reef: () => import('./reef'),
  plain: () => import('./plain'),
};

/** What each world dresses the target, the carried object and the goal as: the words spoken. */
export const WORLD_THINGS: Record<WorldName, ThingNames> = {
  orchard: { target: 'apple', object: 'crate', goal: 'basket', toGoal: 'into' },
  lantern: { target: 'lantern', object: 'lantern', goal: 'post', toGoal: 'onto' },
  reef: { target: 'bubble', object: 'chest', goal: 'nest', toGoal: 'into' },
  plain: PLAIN_THINGS,
};

const PAGE_WORLDS: readonly string[] = [...WORLD_NAMES, 'choice'];

/**
 * The world to draw, or 'choice' for the patient's in-VR menu: a valid `world` page parameter
 * (trying a world without pairing, tests), else the plan's, else the orchard. Unknown names are
 * ignored, never an error. Automation without a page parameter draws the plain room (the older
 * end-to-end tests and the benchmarks keep the pace they were tuned for) unless the plan asks the
 * patient to choose: a test that sets that plan answers the menu.
 */
export function resolveWorld(
  planWorld: GameWorld | null,
  pageParam: string | null,
  automation: boolean,
): WorldName | 'choice' {
  if (pageParam !== null && PAGE_WORLDS.includes(pageParam)) return pageParam as GameWorld;
  if (automation) return planWorld === 'choice' ? 'choice' : 'plain';
  return planWorld ?? 'orchard';
}

/** The page's world parameters: `world` for anyone, `worldFault` only under automation (tests). */
export function readWorldParams(
  search: string,
  automation: boolean,
): { world: string | null; fault: 'throw' | 'missing' | null } {
  const params = new URLSearchParams(search);
  const fault = params.get('worldFault');
  return {
    world: params.get('world'),
    fault: automation && (fault === 'throw' || fault === 'missing') ? fault : null,
  };
}
