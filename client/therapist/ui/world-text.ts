import type { PlayedWorld } from '../../../shared/protocol/primitives';

const WORLD_TEXT: Record<PlayedWorld, string> = {
  orchard: 'Orchard in the morning',
  lantern: 'Lantern festival at dusk',
  reef: 'Underwater reef',
  plain: 'Plain room',
};

/** The world a session was played in, in words; '–' when it is not known (older sessions). */
export const worldText = (world: PlayedWorld | null | undefined): string =>
  world ? WORLD_TEXT[world] : '–';
