import { describe, expect, it } from 'vitest';
import {
  CHOICE_TIMEOUT_S,
  CHOSEN_PAUSE_S,
  cardCentreX,
  createPokeTracker,
  MENU_CARD,
  pokedWorld,
  chooseWorld,
  createWorldMenu,
  defaultChoice,
  OFFERED_WORLDS,
  worldChosenWords,
  worldMenuCountdown,
  worldMenuFrame,
  worldMenuPrompt,
} from '../../../shared/game/world-choice';

/** Runs the menu at 72 Hz from `from` for `seconds`; returns how many frames changed the view. */
function run(menu: ReturnType<typeof createWorldMenu>, from: number, seconds: number): number {
  let changes = 0;
  const frames = Math.round(seconds * 72);
  for (let i = 0; i <= frames; i++) if (worldMenuFrame(menu, from + i / 72)) changes++;
  return changes;
}

describe("the patient's world menu", () => {
  it('offers the three themed worlds, left to right, not the plain room', () => {
    expect(OFFERED_WORLDS).toEqual(['orchard', 'lantern', 'reef']);
  });

  it('defaults to the world last played on the headset, else the orchard', () => {
    expect(defaultChoice('reef')).toBe('reef');
    expect(defaultChoice('lantern')).toBe('lantern');
    expect(defaultChoice(null)).toBe('orchard');
    expect(defaultChoice('plain')).toBe('orchard');
    expect(defaultChoice('moon')).toBe('orchard');
    expect(defaultChoice({ world: 'reef' })).toBe('orchard');
  });

  it('counts down whole seconds, and starts the default world after 30 s of nobody choosing', () => {
    const menu = createWorldMenu('lantern');
    expect(CHOICE_TIMEOUT_S).toBe(30);
    expect(run(menu, 1000, 10)).toBe(10);
    expect([menu.secondsLeft, menu.chosen]).toEqual([20, null]);
    expect(worldMenuCountdown(menu.fallback, menu.secondsLeft)).toBe(
      'If you do not choose, the lantern festival starts in 20 s.',
    );
    run(menu, 1010 + 1 / 72, 19.9);
    expect([menu.secondsLeft, menu.chosen]).toEqual([1, null]);
    run(menu, 1030, 0.2);
    expect([menu.chosen, menu.chosenBy, menu.secondsLeft]).toEqual(['lantern', 'timeout', 0]);
    expect(worldChosenWords(menu)).toBe("Let's play in the lantern festival today.");
    // Settled: a late poke changes nothing.
    expect(chooseWorld(menu, 'reef')).toBe(false);
    expect(menu.chosen).toBe('lantern');
  });

  it('counts a long gap between frames (headset taken off) as a quarter second', () => {
    const menu = createWorldMenu(null);
    worldMenuFrame(menu, 50);
    worldMenuFrame(menu, 50 + 600);
    expect(menu.shownSeconds).toBe(0.25);
    expect(menu.chosen).toBeNull();
  });

  it("takes the patient's first choice of an offered world only", () => {
    const menu = createWorldMenu(null);
    worldMenuFrame(menu, 0);
    expect(chooseWorld(menu, 'plain')).toBe(false);
    expect(chooseWorld(menu, 'moon')).toBe(false);
    expect(menu.chosen).toBeNull();
    expect(chooseWorld(menu, 'reef')).toBe(true);
    expect(chooseWorld(menu, 'orchard')).toBe(false);
    expect([menu.chosen, menu.chosenBy]).toEqual(['reef', 'patient']);
    expect(worldChosenWords(menu)).toBe("You chose the reef. Let's go!");
    expect(menu.chosen).toBe('reef');
  });

  it('starts the session 3 s after the choice (spoken, the world loading), and then is done', () => {
    const menu = createWorldMenu(null);
    worldMenuFrame(menu, 10);
    worldMenuFrame(menu, 10.1);
    chooseWorld(menu, 'lantern');
    expect(CHOSEN_PAUSE_S).toBe(3);
    expect(run(menu, 10.1 + 1 / 72, 2.9)).toBe(0);
    expect(menu.done).toBe(false);
    expect(run(menu, 13.02, 0.2)).toBe(1);
    expect([menu.done, menu.chosen, menu.chosenBy]).toEqual([true, 'lantern', 'patient']);
    expect(run(menu, 14, 40)).toBe(0);
    expect(menu.chosen).toBe('lantern');
  });

  it('says how to choose with a hand or a controller', () => {
    expect(worldMenuPrompt()).toBe(
      'Where would you like to play today? The orchard, the lantern festival, or the reef. ' +
        'Touch a picture, or point at it and press the trigger.',
    );
  });

  it('lays the cards out side by side, a gap between them', () => {
    expect(MENU_CARD).toEqual({ width: 0.2, height: 0.27, gap: 0.035 });
    const [left, middle, right] = [0, 1, 2].map(cardCentreX);
    expect(left).toBeCloseTo(-0.235, 12);
    expect(middle).toBe(0);
    expect(right).toBeCloseTo(0.235, 12);
  });

  it('takes a fingertip touching a card from in front as a poke on that card', () => {
    const tracker = createPokeTracker();
    // Seen first inside the cards (a resting hand): nothing, until it has drawn back.
    expect(pokedWorld(tracker, 'right', true, 0.24, 0.02, 0)).toBeNull();
    expect(pokedWorld(tracker, 'right', true, 0.24, 0.02, 0.1)).toBeNull();
    expect(pokedWorld(tracker, 'right', true, 0.24, 0.02, 0.02)).toBeNull();
    expect(pokedWorld(tracker, 'right', true, 0.24, 0.02, 0.01)).toBe('reef');
    // Once: the same hand must draw back before it pokes again.
    expect(pokedWorld(tracker, 'right', true, 0.24, 0.02, 0.0)).toBeNull();
    expect(pokedWorld(tracker, 'right', true, 0.24, 0.02, 0.05)).toBeNull();
    expect(pokedWorld(tracker, 'right', true, -0.3, -0.1, -0.05)).toBe('orchard');
    // Each hand on its own; the gap between cards, above them and far behind them touch nothing.
    expect(pokedWorld(tracker, 'left', true, 0, 0, 0.2)).toBeNull();
    expect(pokedWorld(tracker, 'left', true, 0.1175, 0, 0)).toBeNull();
    expect(pokedWorld(tracker, 'left', true, 0, 0.2, 0)).toBeNull();
    expect(pokedWorld(tracker, 'left', true, 0, 0, -0.07)).toBeNull();
    expect(pokedWorld(tracker, 'left', true, 0.05, 0, -0.01)).toBe('lantern');
    // A hand lost from tracking is not ready when it comes back inside the menu.
    pokedWorld(tracker, 'left', true, 0, 0, 0.2);
    pokedWorld(tracker, 'left', false, 0, 0, 0);
    expect(pokedWorld(tracker, 'left', true, 0, 0, 0)).toBeNull();
  });
});
