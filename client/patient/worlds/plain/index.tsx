import { PlaySpace, Room, Targets } from '../../game/Visuals';
import { MissFade } from '../MissFade';
import type { WorldProps } from '../types';

/** The bare room the game had before worlds: the fallback when a world cannot be shown. */
export default function Plain({ game, presets }: WorldProps) {
  return (
    <>
      <Room presets={presets} />
      <PlaySpace anchor={game.anchor}>
        <Targets game={game} presets={presets} />
        <MissFade game={game} presets={presets} />
      </PlaySpace>
    </>
  );
}
