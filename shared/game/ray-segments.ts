import type { Vec3, Workspace } from '../protocol';
import { outwardSign } from './frame';

/**
 * A ray from the eyes, walked segment by segment: it is cut where it crosses an axis plane of the
 * arm's frame, so each segment lies in one octant, where the workspace is one ellipsoid and a
 * point's squared reach fraction is the quadratic qa·t² + qb·t + qc in its distance t along the
 * ray. The placement searches of view.ts walk rays in the frame that shows a target, so the walk
 * keeps its state here instead of allocating: walkFrom (the workspace and eyes), startRay (each
 * ray), then nextSegment until it returns false.
 */
const walk = {
  /** The eyes in the arm's frame (outward, up, forward from the shoulder). */
  eo: 0,
  eu: 0,
  ef: 0,
  side: 1,
  reach: null as Workspace['reach'] | null,
  /** The ray's direction in the arm's frame. */
  ao: 0,
  au: 0,
  af: 0,
  tMin: 0,
  breakCount: 0,
  nextBreak: 0,
};

const current = { t0: 0, t1: 0, qa: 0, qb: 0, qc: 0 };
/** The segment nextSegment found: from t0 to t1 (Infinity for the last) along the ray. */
export const segment: Readonly<typeof current> = current;

/** Where the ray crosses an axis plane, and tMin: each starts a segment (in no order). */
const breaks: number[] = [0, 0, 0, 0];

/** Rays from here on start at `eye` and cross the workspace `ws`. */
export function walkFrom(ws: Workspace, eye: Vec3): void {
  const side = outwardSign(ws.arm);
  walk.side = side;
  walk.reach = ws.reach;
  walk.eo = (eye[0] - ws.shoulder[0]) * side;
  walk.eu = eye[1] - ws.shoulder[1];
  walk.ef = -(eye[2] - ws.shoulder[2]);
}

/** Starts walking the unit ray eye + t·(dx, dy, dz), from t = tMin on. */
export function startRay(dx: number, dy: number, dz: number, tMin: number): void {
  const ao = (walk.ao = dx * walk.side);
  const au = (walk.au = dy);
  const af = (walk.af = -dz);
  let n = 0;
  breaks[n++] = tMin;
  if (ao !== 0) breaks[n++] = -walk.eo / ao;
  if (au !== 0) breaks[n++] = -walk.eu / au;
  if (af !== 0) breaks[n++] = -walk.ef / af;
  walk.tMin = tMin;
  walk.breakCount = n;
  walk.nextBreak = 0;
}

/** Sets `segment` to the ray's next segment beyond tMin; false when there is none left. */
export function nextSegment(): boolean {
  const { eo, eu, ef, ao, au, af, tMin, breakCount } = walk;
  const r = walk.reach!;
  while (walk.nextBreak < breakCount) {
    const t0 = breaks[walk.nextBreak++]!;
    if (t0 < tMin) continue;
    // The segment ends at the next break beyond t0 (or runs to infinity).
    let t1 = Infinity;
    for (let c = 0; c < breakCount; c++) if (breaks[c]! > t0 && breaks[c]! < t1) t1 = breaks[c]!;
    const mid = t1 === Infinity ? t0 + 1 : (t0 + t1) / 2;
    const so = eo + mid * ao >= 0 ? r.outward : r.across;
    const su = eu + mid * au >= 0 ? r.up : r.forward;
    const sf = ef + mid * af >= 0 ? r.forward : r.across;
    current.t0 = t0;
    current.t1 = t1;
    current.qa = (ao / so) ** 2 + (au / su) ** 2 + (af / sf) ** 2;
    current.qb = 2 * ((eo * ao) / so ** 2 + (eu * au) / su ** 2 + (ef * af) / sf ** 2);
    current.qc = (eo / so) ** 2 + (eu / su) ** 2 + (ef / sf) ** 2;
    return true;
  }
  return false;
}
