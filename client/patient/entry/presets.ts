import { create, type StoreApi, type UseBoundStore } from 'zustand';
import {
  displayStyle,
  parsePresets,
  type DisplayPresets,
  type DisplayStyle,
} from '../../../shared/game/display-presets';

const PRESETS_KEY = 'reach.displayPresets';

interface PresetsState extends DisplayPresets {
  style: DisplayStyle;
}

export type PresetsStore = UseBoundStore<StoreApi<PresetsState>>;

const withStyle = (p: DisplayPresets): PresetsState => ({ ...p, style: displayStyle(p) });

/** The headset's display presets, kept in storage so the patient chooses them once. */
export function createPresetsStore(storage: Storage): PresetsStore {
  return create<PresetsState>(() => withStyle(parsePresets(storage.getItem(PRESETS_KEY))));
}

export function setPreset(
  presets: PresetsStore,
  storage: Storage,
  name: keyof DisplayPresets,
  on: boolean,
): void {
  const { large, highContrast } = presets.getState();
  const next = { large, highContrast, [name]: on };
  storage.setItem(PRESETS_KEY, JSON.stringify(next));
  presets.setState(withStyle(next));
}
