/**
 * The patient's world menu ("patient's choice" in the plan), before calibration and the first
 * set: which worlds it offers, what it says, and what it plays when nobody chooses. A world only
 * draws, so nothing here touches the session's clinical state.
 */

/** The themed worlds, left to right. The plain room is the therapist's to set, not a prize. */
export const OFFERED_WORLDS = ['orchard', 'lantern', 'reef'] as const;
export type OfferedWorld = (typeof OFFERED_WORLDS)[number];

/** What each card says, large: one short word a patient reads at a glance. */
export const WORLD_CARD_NAMES: Record<OfferedWorld, string> = {
  orchard: 'Orchard',
  lantern: 'Lanterns',
  reef: 'Reef',
};

/** The words spoken for a world ("...in the orchard"). */
const SPOKEN_PLACE: Record<OfferedWorld, string> = {
  orchard: 'the orchard',
  lantern: 'the lantern festival',
  reef: 'the reef',
};

/** Nobody chose within this long (seconds in the headset): the default world starts. */
export const CHOICE_TIMEOUT_S = 30;
/**
 * Between the choice and the session's start: the choice is spoken (the session's first
 * instruction would cut it off) and the chosen world loads around the patient.
 */
export const CHOSEN_PAUSE_S = 3;
/** Frames further apart than this (the headset taken off, a stall) count as this long. */
const MAX_FRAME_S = 0.25;

export const isOfferedWorld = (world: unknown): world is OfferedWorld =>
  (OFFERED_WORLDS as readonly unknown[]).includes(world);

/** What starts without a choice: the world last played on this headset if offered, else the orchard. */
export const defaultChoice = (lastPlayed: unknown): OfferedWorld =>
  isOfferedWorld(lastPlayed) ? lastPlayed : 'orchard';

export interface WorldMenu {
  /** Started when nobody chose in time. */
  readonly fallback: OfferedWorld;
  /** Seconds the menu has been shown (frame clock, capped per frame); -1 before its first frame. */
  shownSeconds: number;
  /** Frame clock of the latest frame, -1 before the first. */
  lastT: number;
  /** Whole seconds left before the fallback starts, as shown. */
  secondsLeft: number;
  chosen: OfferedWorld | null;
  chosenBy: 'patient' | 'timeout' | null;
  /** `shownSeconds` when the world was chosen. */
  chosenAt: number;
  /** The pause after the choice is over: the session starts. */
  done: boolean;
}

export const createWorldMenu = (lastPlayed: unknown): WorldMenu => ({
  fallback: defaultChoice(lastPlayed),
  shownSeconds: -1,
  lastT: -1,
  secondsLeft: CHOICE_TIMEOUT_S,
  chosen: null,
  chosenBy: null,
  chosenAt: 0,
  done: false,
});

/**
 * One frame of the menu at frame time `t` (seconds). Returns true when what is shown changed (a
 * second of the countdown passed, the time ran out and the fallback was chosen, or the pause
 * after the choice ended: `done`); allocates nothing.
 */
export function worldMenuFrame(menu: WorldMenu, t: number): boolean {
  if (menu.done) return false;
  if (menu.lastT < 0) {
    menu.lastT = t;
    menu.shownSeconds = 0;
    return false;
  }
  menu.shownSeconds += Math.max(0, Math.min(MAX_FRAME_S, t - menu.lastT));
  menu.lastT = t;
  if (menu.chosen !== null) {
    if (menu.shownSeconds - menu.chosenAt < CHOSEN_PAUSE_S) return false;
    menu.done = true;
    return true;
  }
  if (menu.shownSeconds >= CHOICE_TIMEOUT_S) {
    settle(menu, menu.fallback, 'timeout');
    menu.secondsLeft = 0;
    return true;
  }
  const left = Math.ceil(CHOICE_TIMEOUT_S - menu.shownSeconds);
  if (left === menu.secondsLeft) return false;
  menu.secondsLeft = left;
  return true;
}

function settle(menu: WorldMenu, world: OfferedWorld, by: 'patient' | 'timeout'): void {
  menu.chosen = world;
  menu.chosenBy = by;
  menu.chosenAt = Math.max(0, menu.shownSeconds);
}

/** The patient picked a card. Only an offered world, and only the first choice, counts. */
export function chooseWorld(menu: WorldMenu, world: unknown): boolean {
  if (menu.chosen !== null || !isOfferedWorld(world)) return false;
  settle(menu, world, 'patient');
  return true;
}

/**
 * The cards in the menu's own frame (metres; x to the right, y up, z toward the patient, the cards'
 * faces at z = 0): as big as a hand with the fingers spread, so nobody misses one.
 */
export const MENU_CARD = { width: 0.2, height: 0.27, gap: 0.035 } as const;

/** The centre of the i-th card (left to right) on the menu's x axis. */
export const cardCentreX = (i: number): number =>
  (i - (OFFERED_WORLDS.length - 1) / 2) * (MENU_CARD.width + MENU_CARD.gap);

/** A fingertip this close in front of a card, or pressed up to this far into it, touches it. */
const POKE_FRONT_M = 0.015;
const POKE_DEPTH_M = 0.06;
/** Where a fingertip must have been (in front of the cards) before a touch counts as a poke. */
const POKE_READY_M = 0.03;

/** Whether each hand was clear in front of the cards, so that its next touch is a poke. */
export interface PokeTracker {
  ready: { left: boolean; right: boolean };
}

export const createPokeTracker = (): PokeTracker => ({ ready: { left: false, right: false } });

/**
 * One hand's fingertip (or controller) this frame, in the menu's frame: the world whose card it
 * pokes, or null. A poke is a touch of a card's face coming from in front of it, so a hand that
 * rests inside the menu (or is first seen there) chooses nothing until it has drawn back.
 */
export function pokedWorld(
  tracker: PokeTracker,
  arm: 'left' | 'right',
  tracked: boolean,
  x: number,
  y: number,
  z: number,
): OfferedWorld | null {
  if (!tracked) {
    tracker.ready[arm] = false;
    return null;
  }
  if (z > POKE_READY_M) {
    tracker.ready[arm] = true;
    return null;
  }
  if (!tracker.ready[arm] || z > POKE_FRONT_M || z < -POKE_DEPTH_M) return null;
  if (Math.abs(y) > MENU_CARD.height / 2) return null;
  for (let i = 0; i < OFFERED_WORLDS.length; i++) {
    if (Math.abs(x - cardCentreX(i)) <= MENU_CARD.width / 2) {
      tracker.ready[arm] = false;
      return OFFERED_WORLDS[i]!;
    }
  }
  return null;
}

/** Spoken when the menu opens (the cards show the same names): how to choose, either way. */
export const worldMenuPrompt = (): string =>
  'Where would you like to play today? The orchard, the lantern festival, or the reef. ' +
  'Touch a picture, or point at it and press the trigger.';

/** Shown under the cards while the countdown runs. */
export const worldMenuCountdown = (fallback: OfferedWorld, secondsLeft: number): string =>
  `If you do not choose, ${SPOKEN_PLACE[fallback]} starts in ${secondsLeft} s.`;

/** Spoken once the world is settled. */
export function worldChosenWords(menu: WorldMenu): string {
  if (menu.chosen === null) return '';
  const place = SPOKEN_PLACE[menu.chosen];
  return menu.chosenBy === 'patient'
    ? `You chose ${place}. Let's go!`
    : `Let's play in ${place} today.`;
}
