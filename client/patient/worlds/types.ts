import type { ComponentType } from 'react';
import type { GameWorld } from '../../../shared/clinical/plan';
import type { PresetsStore } from '../entry/presets';
import type { GameOutput } from '../game/effects';
import type { GameSession } from '../game/game-session';

/** A world the headset can draw ('choice' is resolved to one of these before). */
export type WorldName = Exclude<GameWorld, 'choice'>;

/**
 * What a world draws from. A world only DRAWS the session's published state (game.store, the
 * frame input) and PLAYS sounds through the output: it never decides anything clinical.
 */
export interface WorldProps {
  game: GameSession;
  presets: PresetsStore;
  output: GameOutput;
}

export type WorldComponent = ComponentType<WorldProps>;
