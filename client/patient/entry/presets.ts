import { create } from 'zustand';
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

const withStyle = (p: DisplayPresets): PresetsState => ({ ...p, style: displayStyle(p) });

/** The headset's display presets, kept in localStorage so the patient chooses them once. */
export const usePresets = create<PresetsState>(() =>
  withStyle(parsePresets(localStorage.getItem(PRESETS_KEY))),
);

export function setPreset(name: keyof DisplayPresets, on: boolean): void {
  const { large, highContrast } = usePresets.getState();
  const next = { large, highContrast, [name]: on };
  localStorage.setItem(PRESETS_KEY, JSON.stringify(next));
  usePresets.setState(withStyle(next));
}
