import { BoxGeometry, SphereGeometry, TorusGeometry, type BufferGeometry } from 'three';

export interface UnitShapes {
  /** Radius 1: scaled to a target's radius. */
  sphere: BufferGeometry;
  /** 1.6 wide: the carried object is 1.6 radii wide once scaled to its radius. */
  box: BufferGeometry;
  /** The hold-progress ring around a target of radius 1 (6 mm thick on a 5 cm target). */
  ring: BufferGeometry;
}

let shapes: UnitShapes | null = null;

/**
 * The targets' shapes, made once per page and shared by every world, scaled to each target's
 * radius. A target's radius changes with difficulty nearly every trial; geometry made to size was
 * rebuilt each time (0.5 MB of garbage a trial, and a GC pause in the frame). Never disposed: they
 * are small and live as long as the game.
 */
export function unitShapes(): UnitShapes {
  shapes ??= {
    sphere: new SphereGeometry(1, 32, 24),
    box: new BoxGeometry(1.6, 1.6, 1.6),
    ring: new TorusGeometry(1.3, 0.12, 8, 48),
  };
  return shapes;
}
