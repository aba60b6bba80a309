import type { TrialOutcome } from '../types';
import type { DifficultyConfig } from './config';
import type { DifficultyParams } from './params';

/** Fixed decimals with a trailing ".0"/".00" removed, so "56" not "56.00" but "52.4" kept. */
export function trimNumber(x: number, decimals: number): string {
  const s = x.toFixed(decimals);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

// The spec's wording: "70.8 % -> 67.5 % of reach" but "3.68 -> 4.00 cm".
const pair = (a: string, b: string, unit: string, unitBoth = false) =>
  a === b ? `${a}${unit} (unchanged)` : `${a}${unitBoth ? unit : ''} -> ${b}${unit}`;

export type ReasonInput = {
  trialNumber?: number;
  outcome: TrialOutcome;
  tContact: number | null;
  levelBefore: number;
  levelAfter: number;
  /** Level the unclamped rule would have given, to explain a bound. */
  levelUnclamped: number;
  before: DifficultyParams;
  after: DifficultyParams;
  config: DifficultyConfig;
  /** The task's multiple of the level's time limit (1 = the limit itself). */
  timeScale?: number;
};

/** The sentence a therapist reads: cause, level change, every parameter, and the rule. */
export function difficultyReason(r: ReasonInput): string {
  const c = r.config;
  const scale = r.timeScale ?? 1;
  const lim = `${(r.before.timeLimit * scale).toFixed(2)} s limit`;
  const tc = r.tContact === null ? '' : r.tContact.toFixed(2);
  const cause =
    r.outcome === 'hit'
      ? `target reached in ${tc} s, within the ${lim}, a hit`
      : r.outcome === 'miss_too_slow'
        ? `target reached in ${tc} s, after the ${lim}, a miss (too slow)`
        : `target not reached within the ${lim}, a miss`;
  const prefix = r.trialNumber === undefined ? '' : `Trial ${r.trialNumber}: `;
  const head = prefix ? cause : cause.charAt(0).toUpperCase() + cause.slice(1);

  const lb = trimNumber(r.levelBefore, 2);
  const la = trimNumber(r.levelAfter, 2);
  const bound =
    r.levelUnclamped > c.maxLevel ? 'maximum' : r.levelUnclamped < c.minLevel ? 'minimum' : null;
  let level: string;
  if (r.levelAfter === r.levelBefore) {
    level = bound
      ? `difficulty stays at ${la}: the therapist's ${bound}`
      : `difficulty stays at ${la}`;
  } else {
    const d = r.levelAfter - r.levelBefore;
    const delta = `${d > 0 ? '+' : '-'}${trimNumber(Math.abs(d), 2)}`;
    level = `difficulty ${lb} -> ${la} (${delta}${bound ? `, limited by the therapist's ${bound}` : ''})`;
  }

  const b = r.before;
  const a = r.after;
  const params = [
    `distance ${pair((b.distanceFraction * 100).toFixed(1), (a.distanceFraction * 100).toFixed(1), ' %', true)} of reach`,
    `target radius ${pair((b.targetRadius * 100).toFixed(2), (a.targetRadius * 100).toFixed(2), ' cm')}`,
    `time limit ${pair(b.timeLimit.toFixed(2), a.timeLimit.toFixed(2), ' s')}${scale === 1 ? '' : ` (x${trimNumber(scale, 2)} for this task)`}`,
    `spread ${pair(trimNumber(b.spreadDeg, 1), trimNumber(a.spreadDeg, 1), ' deg')}`,
  ].join(', ');

  const up = trimNumber(c.gain * (1 - c.targetSuccess), 2);
  const down = trimNumber(c.gain * c.targetSuccess, 2);
  const rule =
    `Rule: each success raises difficulty by ${up}, each miss lowers it by ${down}, ` +
    `keeping success near ${trimNumber(c.targetSuccess * 100, 1)} %.`;
  return `${prefix}${head}; ${level}: ${params}. ${rule}`;
}
