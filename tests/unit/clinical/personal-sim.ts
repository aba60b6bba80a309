/**
 * Synthetic patients for the personal core's evidence tests, built on the specification's
 * profiles (helpers.ts SYNTHETIC_PROFILES): a hit at level L in sector s has probability
 * (1 - lapse) / (1 + exp((L - L50 + weakness_s) / slope)); reaches in weak sectors are also slower
 * and less smooth. Targets come from the real placement (balanced or personal) on a real workspace.
 */
import {
  addTrialToMap,
  createPerformanceMap,
  difficultyParams,
  focusNeeds,
  heightOf,
  placePersonalTarget,
  sideOf,
  updateDifficulty,
  type PerformanceMapState,
  type PersonalTrial,
  type Placement,
  type SectorId,
} from '../../../shared/clinical/index';
import type { Workspace } from '../../../shared/protocol';
import { hitProbability, mulberry32 } from './helpers';

export const RIGHT_ARM: Workspace = {
  arm: 'right',
  posture: 'seated',
  shoulder: [0.18, 1.0, 0],
  reach: { forward: 0.55, outward: 0.5, up: 0.35, across: 0.25 },
  measuredAt: '2026-01-01T00:00:00.000Z',
};

/** The weak region of the up-and-across patient: above 20° and more than 10° across. */
export const isUpAcross = (sector: SectorId | null) =>
  sector !== null && heightOf(sector) === 'up' && sideOf(sector) === 'across';

export interface SyntheticPatient {
  profile: readonly [number, number, number];
  /** Levels of difficulty lost in a weak sector (L50 lower by this much there). */
  weakness: number;
  isWeak: (sector: SectorId | null) => boolean;
}

/** A standard normal draw (Box-Muller) from a uniform generator. */
export function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export interface SimulatedTrial extends PersonalTrial {
  level: number;
}

export interface Simulation {
  trials: SimulatedTrial[];
  map: PerformanceMapState;
  level: number;
}

/** Plays `count` trials of one session with the given placement (focus weights from the live map). */
export function playSession(
  patient: SyntheticPatient,
  sim: Simulation,
  sessionId: string,
  count: number,
  mode: 'balanced' | 'focus',
  random: () => number,
): SimulatedTrial[] {
  const [L50, slope, lapse] = patient.profile;
  const played: SimulatedTrial[] = [];
  for (let i = 0; i < count; i++) {
    const params = difficultyParams(sim.level);
    const placement: Placement =
      mode === 'balanced'
        ? { mode: 'balanced' }
        : { mode: 'focus', needs: focusNeeds(sim.map).map((n) => n.need) };
    const placed = placePersonalTarget(RIGHT_ARM, params, placement, random);
    const weak = patient.isWeak(placed.sector);
    const p = hitProbability(sim.level, L50 - (weak ? patient.weakness : 0), slope, lapse);
    const reached = random() < p;
    const update = updateDifficulty(sim.level, { reached, tContact: reached ? 0.5 : null });
    const trial: SimulatedTrial = {
      sessionId,
      task: 'touch',
      arm: 'right',
      sector: placed.sector,
      outcome: update.outcome,
      metrics: {
        movementTime: (weak ? 1.6 : 1) * Math.exp(0.15 * normal(random)),
        sparc: (weak ? -2.3 : -1.7) + 0.1 * normal(random),
        pathRatio: (weak ? 1.35 : 1.1) + 0.03 * normal(random),
      },
      level: sim.level,
    };
    addTrialToMap(sim.map, trial);
    sim.trials.push(trial);
    played.push(trial);
    sim.level = update.level;
  }
  return played;
}

export const newSimulation = (): Simulation => ({
  trials: [],
  map: createPerformanceMap('right'),
  level: 50,
});

export { mulberry32 };
