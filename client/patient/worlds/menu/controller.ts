import { create, type StoreApi, type UseBoundStore } from 'zustand';
import {
  chooseWorld,
  createWorldMenu,
  worldChosenWords,
  worldMenuFrame,
  worldMenuPrompt,
  type OfferedWorld,
  type WorldMenu,
} from '../../../../shared/game/world-choice';

export interface WorldMenuView {
  /** The menu is shown (its first frame in VR has run). */
  open: boolean;
  /** Started if nobody chooses. */
  fallback: OfferedWorld;
  secondsLeft: number;
  chosen: OfferedWorld | null;
  chosenBy: WorldMenu['chosenBy'];
  /** The session may start (the choice was spoken). */
  done: boolean;
}

/**
 * The headset's side of the world menu (shared/game/world-choice): steps it on the frame clock,
 * speaks, and publishes what the scene shows. Written only on changes, never per frame.
 */
export interface WorldMenuController {
  readonly store: UseBoundStore<StoreApi<WorldMenuView>>;
  /** One frame while the menu is up (or its pause after the choice runs); idle once done. */
  frame(t: number): void;
  /** The patient picked a card (pointer event: ray or poke). */
  choose(world: OfferedWorld): void;
}

export function createWorldMenuController({
  lastPlayed,
  say,
  onChosen,
  onDone,
}: {
  lastPlayed: unknown;
  say(text: string): void;
  /** The world is settled (by the patient or the timeout): recorded and loaded from now. */
  onChosen(world: OfferedWorld): void;
  /** The choice was spoken: the session starts. */
  onDone(): void;
}): WorldMenuController {
  const menu = createWorldMenu(lastPlayed);
  const store = create<WorldMenuView>(() => ({
    open: false,
    fallback: menu.fallback,
    secondsLeft: menu.secondsLeft,
    chosen: null,
    chosenBy: null,
    done: false,
  }));
  const publish = () =>
    store.setState({
      secondsLeft: menu.secondsLeft,
      chosen: menu.chosen,
      chosenBy: menu.chosenBy,
      done: menu.done,
    });
  const settled = () => {
    onChosen(menu.chosen!);
    say(worldChosenWords(menu));
    publish();
  };
  return {
    store,
    frame(t) {
      const opening = menu.lastT < 0;
      const wasChosen = menu.chosen !== null;
      if (!worldMenuFrame(menu, t)) {
        if (opening) {
          say(worldMenuPrompt());
          store.setState({ open: true });
        }
        return;
      }
      if (!wasChosen && menu.chosen !== null) settled();
      else publish();
      if (menu.done) onDone();
    },
    choose(world) {
      if (chooseWorld(menu, world)) settled();
    },
  };
}
