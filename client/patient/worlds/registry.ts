import type { GameWorld } from '../../../shared/clinical/plan';
import type { WorldComponent, WorldName } from './types';

export const WORLD_NAMES: readonly WorldName[] = ['orchard', 'lantern', 'reef', 'plain'];

/** Each world is its own chunk, loaded after the entry screen (while the patient enters VR). */
export const WORLD_LOADERS: Record<WorldName, () => Promise<{ default: WorldComponent }>> = {
  orchard: () => import('./orchard'),
  lantern: () => import('./lantern'),
  reef: () => import('./reef'),
  plain: () => import('./plain'),
};

/** Until the patient's in-VR world menu exists, "patient's choice" plays the orchard. */
const CHOICE_FALLBACK: WorldName = 'orchard';

/**
 * The world to draw: a valid `world` page parameter (trying a world without pairing, tests),
 * else the plan's, else the orchard. Unknown names are ignored, never an error.
 */
export function resolveWorld(planWorld: GameWorld | null, pageParam: string | null): WorldName {
  const wanted = (WORLD_NAMES as readonly string[]).includes(pageParam ?? '')
    ? (pageParam as WorldName)
    : planWorld;
  if (wanted === null || wanted === 'choice') return CHOICE_FALLBACK;
  return wanted;
}

/** The page's world parameters: `world` for anyone, `worldFault` only under automation (tests). */
export function readWorldParams(
  search: string,
  automation: boolean,
): { world: string | null; fault: 'throw' | 'missing' | null } {
  const params = new URLSearchParams(search);
  const fault = params.get('worldFault');
  return {
    // Automation without a `world` draws the plain room: the older end-to-end tests and the
    // benchmarks keep the pace they were tuned for; tests/e2e/game-worlds.test.ts names each world.
    world: params.get('world') ?? (automation ? 'plain' : null),
    fault: automation && (fault === 'throw' || fault === 'missing') ? fault : null,
  };
}
