/**
 * Display presets for older adults with weak vision, chosen on the entry screen. They change how
 * things look, never the task: target size stays the difficulty's (clinical) radius.
 */
export interface DisplayPresets {
  /** Bigger in-VR text and panel, thicker target outlines. */
  large: boolean;
  /** Black room, saturated targets, white outlines. */
  highContrast: boolean;
}

export const DEFAULT_PRESETS: DisplayPresets = { large: false, highContrast: false };

export interface Palette {
  background: string;
  floor: string;
  target: string;
  goal: string;
  object: string;
  effector: string;
  ghost: string;
  outline: string;
  panel: string;
  text: string;
  /** What the patient is told the colours are: spoken and shown instructions name them. */
  names: { target: string; goal: string; object: string };
}

/** Calm palette: dark blue room, warm yellow targets, white effector. */
const STANDARD: Palette = {
  background: '#0b1d2a',
  floor: '#16344a',
  target: '#ffd23f',
  goal: '#5ce08a',
  object: '#4cc9f0',
  effector: '#ffffff',
  ghost: '#9ad1ff',
  outline: '#000000',
  panel: '#000000',
  text: '#ffffff',
  names: { target: 'yellow', goal: 'green', object: 'blue' },
};

/** Maximum luminance contrast against a black room: pure yellow, green and cyan, white edges. */
const HIGH_CONTRAST: Palette = {
  background: '#000000',
  floor: '#1a1a1a',
  target: '#ffff00',
  goal: '#00ff66',
  object: '#00e5ff',
  effector: '#ffffff',
  ghost: '#ffffff',
  outline: '#ffffff',
  panel: '#000000',
  text: '#ffffff',
  names: { target: 'yellow', goal: 'green', object: 'blue' },
};

export interface DisplayStyle {
  palette: Palette;
  /** Scale of the in-VR panel and its text. */
  panelScale: number;
  /** Width of the outline around targets, metres. */
  outlineM: number;
  /**
   * Opacity of the panel's backing (opaque in high contrast). Nearly opaque by default: the worlds
   * are bright and busy, and trees or rocks seen through the board blur its letters.
   */
  panelOpacity: number;
}

export function displayStyle(presets: DisplayPresets): DisplayStyle {
  return {
    palette: presets.highContrast ? HIGH_CONTRAST : STANDARD,
    panelScale: presets.large ? 1.5 : 1,
    outlineM: presets.large ? 0.012 : 0.004,
    panelOpacity: presets.highContrast ? 1 : 0.92,
  };
}

/** Stored presets are untrusted text: anything malformed falls back to the defaults. */
export function parsePresets(raw: string | null): DisplayPresets {
  if (raw === null) return DEFAULT_PRESETS;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return DEFAULT_PRESETS;
    const v = value as Record<string, unknown>;
    return { large: v.large === true, highContrast: v.highContrast === true };
  } catch {
    return DEFAULT_PRESETS;
  }
}
