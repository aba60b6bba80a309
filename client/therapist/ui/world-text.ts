import { PLAYED_WORLD_NAMES, type PlayedWorld } from '../../../shared/protocol/primitives';

/** The world a session was played in, in words; '–' when it is not known (older sessions). */
export const worldText = (world: PlayedWorld | null | undefined): string =>
  world ? PLAYED_WORLD_NAMES[world] : '–';
