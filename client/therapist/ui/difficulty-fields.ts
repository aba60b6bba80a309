import { CLINICAL_LIMITS } from '../../../shared/clinical/difficulty';

export type RangeKey = 'distance' | 'radius' | 'timeLimit' | 'spread';

export interface DifficultyField {
  key: RangeKey;
  label: string;
  unit: string;
  /** display value = stored value * scale (fractions as %, metres as cm) */
  scale: number;
  step: number;
  limits: { min: number; max: number };
}

/** The task parameters a therapist sets, in the units a clinician thinks in. */
export const DIFFICULTY_FIELDS: readonly DifficultyField[] = [
  {
    key: 'distance',
    label: 'Target distance',
    unit: '% of reach',
    scale: 100,
    step: 1,
    limits: CLINICAL_LIMITS.distanceFraction,
  },
  {
    key: 'radius',
    label: 'Target radius',
    unit: 'cm',
    scale: 100,
    step: 0.5,
    limits: CLINICAL_LIMITS.targetRadius,
  },
  {
    key: 'timeLimit',
    label: 'Time allowed',
    unit: 's',
    scale: 1,
    step: 0.1,
    limits: CLINICAL_LIMITS.timeLimit,
  },
  {
    key: 'spread',
    label: 'Spread angle',
    unit: '°',
    scale: 1,
    step: 5,
    limits: CLINICAL_LIMITS.spreadDeg,
  },
];

/** Display units to stored units, rounded so 4 cm is 0.04 m and not 0.04000000000000001. */
export const fromDisplay = (field: DifficultyField, display: number): number =>
  Math.round((display / field.scale) * 1e6) / 1e6;
export const toDisplay = (field: DifficultyField, value: number): number =>
  Math.round(value * field.scale * 1e6) / 1e6;

export const withinLimits = (value: number, limits: { min: number; max: number }): boolean =>
  Number.isFinite(value) && value >= limits.min && value <= limits.max;
