import type { Vec3, Workspace } from '../../../shared/protocol';
import { difficultyParams } from '../../../shared/clinical';
import { placeTarget } from '../../../shared/game/placement';
import { seededRandom } from '../../../shared/game/random';
import {
  COMFORTABLE_VIEW,
  eyePoint,
  keepInComfortableView,
  SEEN_VIEW,
  varyInView,
  type ViewLimits,
} from '../../../shared/game/view';
import { estimateShoulder } from '../../../shared/game/workspace';

/** A view with its own minimum distance and uneven edges, so no limit is only ever the default. */
const ODD_VIEW: ViewLimits = { halfWidthDeg: 27.5, upDeg: 20, downDeg: 30, minDistanceM: 0.45 };
const VIEWS = [COMFORTABLE_VIEW, SEEN_VIEW, ODD_VIEW];

/** What the placement search gave for one seeded case (see viewOutputs). */
export interface ViewOutput {
  kept: Vec3;
  varied: Vec3;
  variedFromCandidate: Vec3;
  placed: Vec3;
}

/**
 * The placement search's outputs for `count` seeded cases: workspaces from a very short reach to a
 * long one, candidates all around the eyes (in view, behind, below, far), fractions a little
 * beyond 0..1 and spreads up to 200°. Recorded once in view-outputs.json, so a change to how the
 * search walks a ray can be checked to give exactly the same numbers.
 */
export function viewOutputs(count: number, seed: number): ViewOutput[] {
  const random = seededRandom(seed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const outputs: ViewOutput[] = [];
  for (let i = 0; i < count; i++) {
    const arm = random() < 0.5 ? ('left' as const) : ('right' as const);
    const head: Vec3 = [between(-0.5, 0.5), between(1.0, 1.8), between(-0.5, 0.5)];
    const ws: Workspace = {
      arm,
      posture: 'seated',
      shoulder: estimateShoulder(head, arm),
      reach: {
        forward: between(0.05, 1.0),
        outward: between(0.05, 1.0),
        up: between(0.05, 1.0),
        across: between(0.05, 1.0),
      },
      measuredAt: '2026-01-01T00:00:00.000Z',
    };
    const eye = eyePoint(ws);
    const candidate: Vec3 = [
      eye[0] + between(-1.2, 1.2),
      eye[1] + between(-1.0, 0.8),
      eye[2] + between(-1.2, 0.6),
    ];
    const limits = VIEWS[i % VIEWS.length]!;
    const params = { distanceFraction: between(-0.1, 1.1), spreadDeg: between(0, 200) };
    const drawSeed = Math.floor(random() * 2 ** 32);
    const kept = keepInComfortableView(ws, candidate, limits);
    outputs.push({
      kept,
      varied: varyInView(ws, kept, params, seededRandom(drawSeed), limits),
      variedFromCandidate: varyInView(ws, candidate, params, seededRandom(drawSeed), limits),
      placed: placeTarget(ws, difficultyParams(between(0, 100)), seededRandom(drawSeed)),
    });
  }
  return outputs;
}
